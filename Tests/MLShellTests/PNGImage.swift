import CZlib
import Foundation

/// Just enough of PNG to look at a browser's screenshot: 8-bit RGB or RGBA, not interlaced
/// (what Chromium writes). The pixels come back as RGB triples, row by row.
struct PNGImage {
    let width: Int, height: Int
    let rgb: [UInt8]

    init(_ data: [UInt8]) throws {
        struct Bad: Error { let why: String }
        guard data.count > 8, Array(data[0..<8]) == [137, 80, 78, 71, 13, 10, 26, 10] else { throw Bad(why: "not a PNG") }
        func u32(_ i: Int) -> Int { Int(data[i]) << 24 | Int(data[i + 1]) << 16 | Int(data[i + 2]) << 8 | Int(data[i + 3]) }
        var i = 8, w = 0, h = 0, channels = 0, idat: [UInt8] = []
        while i + 8 <= data.count {
            let length = u32(i), type = String(decoding: data[(i + 4)..<(i + 8)], as: UTF8.self), body = i + 8
            if type == "IHDR" {
                w = u32(body); h = u32(body + 4)
                guard data[body + 8] == 8, data[body + 12] == 0 else { throw Bad(why: "not 8-bit, or interlaced") }
                channels = data[body + 9] == 6 ? 4 : data[body + 9] == 2 ? 3 : 0
                guard channels > 0 else { throw Bad(why: "colour type \(data[body + 9])") }
            } else if type == "IDAT" {
                idat += data[body..<(body + length)]
            }
            i = body + length + 4
        }
        let stride = w * channels
        var raw = [UInt8](repeating: 0, count: h * (stride + 1))
        var size = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in idat.withUnsafeBufferPointer { uncompress(out.baseAddress, &size, $0.baseAddress, uLong(idat.count)) } }
        guard status == Z_OK, Int(size) == raw.count else { throw Bad(why: "inflate failed (\(status))") }
        // Undo each row's filter (none, sub, up, average, Paeth) against the row above.
        var pixels = [UInt8](repeating: 0, count: h * stride)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)], src = y * (stride + 1) + 1, row = y * stride
            for x in 0..<stride {
                let a = x >= channels ? Int(pixels[row + x - channels]) : 0
                let b = y > 0 ? Int(pixels[row - stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[row - stride + x - channels]) : 0
                let v = Int(raw[src + x])
                let predicted: Int
                switch filter {
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: predicted = 0
                }
                pixels[row + x] = UInt8((v + predicted) & 255)
            }
        }
        width = w
        height = h
        rgb = channels == 3 ? pixels : (0..<(w * h)).flatMap { p in pixels[(p * 4)..<(p * 4 + 3)] }
    }

    /// How many pixels are within `tolerance` of the colour on every channel.
    func count(near color: (Int, Int, Int), tolerance: Int = 12) -> Int {
        var n = 0
        for p in 0..<(width * height) {
            let r = Int(rgb[p * 3]), g = Int(rgb[p * 3 + 1]), b = Int(rgb[p * 3 + 2])
            if abs(r - color.0) <= tolerance && abs(g - color.1) <= tolerance && abs(b - color.2) <= tolerance { n += 1 }
        }
        return n
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Asks glibc for transparent huge pages on large allocations, by starting this process again
/// with `glibc.malloc.hugetlb=1` (a tunable read only at startup). A million-row frame is
/// hundreds of megabytes of fresh columns: with 4 KiB pages the kernel zeroes them one fault at
/// a time, and `split` or `fit` spent more time in page faults than in their own work (1.1 s vs
/// 0.27 s for a split of 1M × 70). The exec costs about a millisecond; MLSH_NO_HUGEPAGES=1 skips it.
enum HugePages {
    static func enable() {
        let tunable = "glibc.malloc.hugetlb=1"
        let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) } ?? ""
        guard !current.contains("glibc.malloc.hugetlb"), getenv("MLSH_NO_HUGEPAGES") == nil else { return }
        // Only where the kernel would honour madvise(MADV_HUGEPAGE).
        guard let mode = try? readSmallFile("/sys/kernel/mm/transparent_hugepage/enabled"),
              mode.contains("[always]") || mode.contains("[madvise]") else { return }
        setenv("GLIBC_TUNABLES", current.isEmpty ? tunable : current + ":" + tunable, 1)
        var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &argv)
        // exec failed (no /proc): carry on with normal pages.
        if current.isEmpty { unsetenv("GLIBC_TUNABLES") } else { setenv("GLIBC_TUNABLES", current, 1) }
    }

    static func readSmallFile(_ path: String) throws -> String {
        guard let f = fopen(path, "r") else { throw Errno() }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), f) != nil else { throw Errno() }
        return String(cString: buffer)
    }

    struct Errno: Error {}
}

"""The one venv bootstrap the expected-value scripts share: re-execute the calling script inside a
venv holding exactly the pinned packages (made and filled on first use)."""
import os
import subprocess
import sys
import venv
from pathlib import Path


def ensure_venv(venv_dir, pins, script):
    """pins: {pip name: (import name, version)}. Returns when already inside venv_dir."""
    py = venv_dir / "bin" / "python"
    if Path(sys.prefix).resolve() == venv_dir.resolve():
        return
    if not py.exists():
        print(f"creating {venv_dir}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(venv_dir)
    modules = [module for module, _ in pins.values()]
    want = " ".join(version for _, version in pins.values())
    have = subprocess.run(
        [str(py), "-c", f"import {', '.join(modules)}; print(" + ", ".join(f"{m}.__version__" for m in modules) + ")"],
        capture_output=True, text=True).stdout.strip()
    if have != want:
        specs = [f"{name}=={version}" for name, (_, version) in pins.items()]
        print("installing " + " ".join(specs), file=sys.stderr)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check"] + specs, check=True)
    os.execv(str(py), [str(py), str(Path(script).resolve())] + sys.argv[1:])

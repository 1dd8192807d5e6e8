"""Put tracker.xlam where Excel opens it at start-up and tell the add-in which Python to use.

The add-in's VBA is xlwings' custom add-in module with PROJECT_NAME "tracker", so it
reads its user settings from ~/.tracker/tracker.conf on Windows and from
~/Library/Containers/com.microsoft.Excel/Data/tracker.conf on macOS (not xlwings.conf:
the user's own xlwings set-up stays untouched). The file format is the one VBA's
`Write #` produces and `Input #` reads, as in xlwings.conf: "KEY","value" per line.

Startup folders, mirroring what xlwings' `xlwings addin install` ends up using (it asks
a running Excel for Application.StartupPath; we cannot assume Excel runs):
- Windows: %APPDATA%\\Microsoft\\Excel\\XLSTART
- macOS: ~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel
  (".localized" folder names on recent versions, used when they exist).
On macOS RunPython also needs xlwings' AppleScript in
~/Library/Application Scripts/com.microsoft.Excel, which `xlwings runpython install`
copies; we copy it too.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ..errors import TrackerError
from ..outfiles import check_replaceable
from .build import ADDIN_NAME, PROJECT_NAME, our_addin, build_addin


class NotInstalled(TrackerError):
    """Nothing was installed (no Excel here): what to do instead. Exit code 1, so a script
    that installs the add-in does not go on as if it were there."""

    exit_code = 1


_MAC_GROUP = Path("Library", "Group Containers", "UBF8T346G9.Office")
_MAC_SANDBOX = Path("Library", "Containers", "com.microsoft.Excel", "Data")
_MAC_SCRIPTS = Path("Library", "Application Scripts", "com.microsoft.Excel")


def _quote(value: str) -> str:
    if '"' in value:
        raise TrackerError(f"cannot store {value!r} in {PROJECT_NAME}.conf: it contains a double quote")
    return f'"{value}"'


def set_config_value(path: Path, key: str, value: str, encoding: str, newline: str = "\r\n") -> None:
    """Set key in an xlwings-style .conf file, keeping every other line as it was.

    VBA's `Input #` reads the file as bytes in the system's code page (on Windows the
    ANSI one, e.g. cp1251 for a Russian user name in the path), so it is written in
    that code page; a value that code page cannot hold is refused, not garbled.
    """
    raw = path.read_bytes().decode(encoding, errors="surrogateescape") if path.is_file() else ""
    entry = f"{_quote(key)},{_quote(value)}"
    try:
        entry.encode(encoding)
    except UnicodeEncodeError:
        raise TrackerError(f"{value} cannot be written in code page {encoding}, which Excel reads {path.name} in") from None
    kept = [line for line in raw.splitlines() if not line.strip().lower().startswith(f'"{key.lower()}"')]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = newline.join(kept + [entry]) + newline
    path.write_bytes(text.encode(encoding, errors="surrogateescape"))


def _windows_code_page() -> str:
    # "mbcs" is Windows' ANSI code page and exists only there; elsewhere (tests) the
    # Western one stands in.
    try:
        "".encode("mbcs")
        return "mbcs"
    except LookupError:
        return "cp1252"


def mac_startup_folder(home: Path) -> Path:
    group = home / _MAC_GROUP
    content = group / "User Content.localized"
    if not content.is_dir():
        content = group / "User Content"
    startup = content / "Startup.localized"
    if not startup.is_dir():
        startup = content / "Startup"
    return startup / "Excel"


def windows_startup_folder(appdata: Path) -> Path:
    return appdata / "Microsoft" / "Excel" / "XLSTART"


def _copy(xlam: Path, target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(xlam, target)
    except PermissionError:
        raise TrackerError(f"cannot write {target}: if Excel is running, quit it and try again") from None
    except OSError as exc:
        raise TrackerError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _put(xlam: Path | None, folder: Path) -> Path:
    """The add-in (`xlam`, or a fresh build) as folder/tracker.xlam."""
    target = folder / ADDIN_NAME
    # The user may keep an add-in of their own under that name in Excel's start-up folder.
    check_replaceable(target, our_addin, "an add-in")
    if xlam is not None:
        return _copy(xlam, target)
    # Built aside and copied, not built in place: a copy Excel blocks gets the hint to quit it.
    with tempfile.TemporaryDirectory(prefix="tracker-addin-") as scratch:
        return _copy(build_addin(Path(scratch) / ADDIN_NAME), target)


def _check_source(xlam: Path) -> None:
    if not xlam.is_file():
        raise TrackerError(f"{xlam}: no such add-in file (build one with `tracker addin build`)")
    try:
        ours = our_addin(xlam)
    except OSError as exc:
        raise TrackerError(f"{xlam}: cannot read it ({exc.strerror or exc})") from None
    if not ours:
        raise TrackerError(f"{xlam}: not an add-in `tracker addin build` wrote; not installing it "
                           "(build one with `tracker addin build`)")


def install_addin(xlam: Path | None, *, platform: str = sys.platform, home: Path,
                  appdata: Path | None = None, executable: str = sys.executable) -> str:
    """Install the add-in for the current user; returns what was done, for a person.
    NotInstalled says why nothing was (no Excel on this system or for this user).

    `xlam` is an add-in `tracker addin build` wrote, or None for a fresh build, made only
    where it is installed; `appdata` is %APPDATA% on Windows (default:
    home/AppData/Roaming); `executable` is the Python the add-in will run (default: this
    one, where tracker is installed).
    """
    if xlam is not None:
        xlam = Path(xlam)
        _check_source(xlam)
    # A fresh build lives only until this returns: point at a file that stays.
    copy = (f"copy {xlam}" if xlam is not None
            else "build it with `tracker addin build` (it writes ./tracker.xlam) and copy that file")
    if platform.startswith("win"):
        target = _put(xlam, windows_startup_folder(appdata or home / "AppData" / "Roaming"))
        conf = home / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"
        set_config_value(conf, "INTERPRETER_WIN", executable, _windows_code_page())
        return (f"Installed the add-in: {target}\n"
                f"The add-in will run Python from {executable} (set in {conf}).\n"
                "Restart Excel: the Call Tracker tab appears on the ribbon.")
    if platform == "darwin":
        folder = mac_startup_folder(home)
        if not folder.parent.parent.parent.is_dir():
            raise NotInstalled(
                f"Excel for Mac does not seem to have run for this user ({folder.parent.parent.parent} is missing).\n"
                f"Start Excel once, then run this again; or {copy} into Excel's startup folder "
                "(Excel > Preferences > General > At startup, open all files in).")
        target = _put(xlam, folder)
        conf = home / _MAC_SANDBOX / f"{PROJECT_NAME}.conf"
        set_config_value(conf, "INTERPRETER_MAC", executable, "utf-8", "\n")  # as xlwings writes it there
        message = [f"Installed the add-in: {target}",
                   f"The add-in will run Python from {executable} (set in {conf})."]
        script = _xlwings_applescript()
        if script is not None:
            scripts = home / _MAC_SCRIPTS
            scripts.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(script, scripts / script.name)
            message.append(f"Copied xlwings' {script.name} to {scripts} (RunPython needs it).")
        message.append("Quit Excel (Cmd-Q) and start it again: the Call Tracker tab appears on the ribbon.")
        return "\n".join(message)
    raise NotInstalled(
        f"Excel add-ins run on Windows and macOS; nothing was installed on {platform}.\n"
        f"On a Windows PC or a Mac with Excel, install Call Tracker and run `tracker addin install` there,\n"
        f"or {copy} into Excel's startup folder (Windows: %APPDATA%\\Microsoft\\Excel\\XLSTART).")


def _xlwings_applescript() -> Path | None:
    import xlwings

    path = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
    return path if path.is_file() else None

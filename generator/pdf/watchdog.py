"""Run as a script between grantdocs and each LibreOffice it starts, so that LibreOffice never
outlives grantdocs, however grantdocs ends (kill -9 included, which runs no exit handler):

    python -I watchdog.py [--remove FOLDER] LIBREOFFICE…

It starts LIBREOFFICE in a process group of its own and exits with its status. When its standard
input, grantdocs' end of a pipe, closes (grantdocs is done with it, or gone), it kills that group
— the launcher and soffice.bin together — and then removes FOLDER (a kept LibreOffice's profile),
once none of them can write to it any more. Standard library only: it starts in milliseconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading


def main(args: list[str]) -> int:
    folder, command = (args[1], args[2:]) if args[:1] == ["--remove"] else (None, args)
    office = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)

    def end_with_grantdocs() -> None:
        while os.read(0, 4096):  # unbuffered: a buffered read would hold a lock the interpreter's end wants
            pass  # the end of input: grantdocs is done, or gone
        _kill_group(office.pid)

    threading.Thread(target=end_with_grantdocs, daemon=True).start()
    # The launcher is left unreaped (a zombie) until its group is killed, so that the group's id
    # cannot pass to another process meanwhile; soffice.bin may outlive a launcher that crashed.
    os.waitid(os.P_PID, office.pid, os.WEXITED | os.WNOWAIT)
    _kill_group(office.pid)
    code = office.wait()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    return code if code >= 0 else 128 - code


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


if __name__ == "__main__":
    os._exit(main(sys.argv[1:]))  # no interpreter shutdown to wait on the thread reading stdin

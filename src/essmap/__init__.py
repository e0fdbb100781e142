"""essmap: the support structures of France's social and solidarity economy, searchable."""

__version__ = "0.1.0"


class Interrupted(BaseException):
    """Ctrl-C, raised by essmap's own handler so that no layer turns it into a traceback or
    another exit code on the way out."""


def run() -> None:
    """The `essmap` program: the command line, with the guarantees of a well-behaved process.

    - Ctrl-C at any moment after start-up exits 130 with one line on stderr.
    - A reader that closes the pipe early ends essmap as it ends `cat`: by SIGPIPE (status 141
      in a shell), silently, whatever the command.
    - Characters the output encoding cannot carry are replaced, never raised.
    """
    import signal
    import sys

    def interrupted(signum, frame):
        raise Interrupted

    signal.signal(signal.SIGINT, interrupted)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        from essmap.cli import main

        main()
    except Interrupted:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stderr.write("\nessmap: interrupted\n")
        sys.stderr.flush()
        raise SystemExit(130) from None

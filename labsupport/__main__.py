"""python -m labsupport doctor   # check that the labs can run here"""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] != "doctor":
        print("usage: python -m labsupport doctor", file=sys.stderr)
        return 2
    from labsupport.doctor import main as doctor

    return doctor(argv[1:])


if __name__ == "__main__":
    sys.exit(main())

"""Command line for the bundled assets (maintainers only: learners never import this package).

    python -m labassets corpus            # write data/dialogsum-mini/
    python -m labassets model [--smoke]   # train data/tiny-t5/
    python -m labassets decoder [--smoke] # train data/tiny-gpt/ (decoder-only, lab 04)
    python -m labassets preferences       # write data/dialogsum-preferences/ (lab 08)
    python -m labassets manifest          # rewrite data/MANIFEST.sha256
    python -m labassets verify            # check every bundled file
"""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = ("corpus", "model", "decoder", "preferences", "manifest", "verify")
    if not argv or argv[0] not in commands:
        print(f"usage: python -m labassets {{{'|'.join(commands)}}} [options]",
              file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "corpus":
        from labassets.corpus import main as run
    elif command == "model":
        from labassets.tiny_t5 import main as run
    elif command == "decoder":
        from labassets.tiny_gpt import main as run
    elif command == "preferences":
        from labassets.preferences import main as run
    else:
        from labsupport import manifest

        run = manifest.write_main if command == "manifest" else manifest.verify_main
    return run(rest)


if __name__ == "__main__":
    sys.exit(main())

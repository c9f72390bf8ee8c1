"""Baseline for the LEDES benchmark: read the file and split every line into its fields,
nothing else (issue 3). `legalops ledes validate` is compared against this whole process."""

import sys


def main(path: str) -> int:
    fields = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for line in handle:
            fields += len(line.split("|"))
    print(fields)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

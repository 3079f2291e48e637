#!/usr/bin/python3
"""Reads every row of every sheet with openpyxl in read-only mode (the baseline of
bench/import.sh) and prints the number of non-empty cells."""
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
cells = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if v is not None:
                cells += 1
wb.close()
print(cells)

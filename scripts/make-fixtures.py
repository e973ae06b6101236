#!/usr/bin/env python3
"""Writes the small data files the IDCData tests read (Tests/IDCDataTests/Fixtures).

Every file is made here with NumPy and the standard library, so the fixtures
can be rebuilt and checked: `python3 scripts/make-fixtures.py`. Malformed
files are made by cutting or editing valid ones. Needs only numpy.
"""
import io
import os
import sys
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "IDCDataTests", "Fixtures")


def path(name):
    return os.path.join(OUT, name)


def save(name, array, **kw):
    np.save(path(name), array, **kw)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asanyarray(array), version=version, allow_pickle=True)
    return buffer.getvalue()


def raw_npy(header_text, payload=b"", major=1):
    """A .npy image with a hand-written header (for malformed headers)."""
    text = header_text.encode("latin1") + b"\n"
    length = len(text).to_bytes(2 if major == 1 else 4, "little")
    return b"\x93NUMPY" + bytes([major, 0]) + length + text + payload


def main():
    os.makedirs(OUT, exist_ok=True)
    base = np.arange(6).reshape(2, 3)

    # Every supported dtype, 2x3, values 0..5 (bool: x % 2 == 1).
    for code in ["f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
        save(f"dtype_{code}.npy", base.astype("<" + code))
        if code not in ("i1", "u1"):
            save(f"dtype_be_{code}.npy", base.astype(">" + code))
    save("dtype_b1.npy", base % 2 == 1)

    # Memory order, versions, shapes.
    save("fortran_f4.npy", np.asfortranarray(np.arange(12, dtype="<f4").reshape(3, 4)))
    save("fortran_i4_3d.npy", np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
    write_bytes("version2.npy", npy_bytes(np.arange(6, dtype="<f4").reshape(2, 3), version=(2, 0)))
    write_bytes("version3.npy", npy_bytes(np.arange(6, dtype="<f4").reshape(2, 3), version=(3, 0)))
    save("scalar_f8.npy", np.float64(2.5))
    save("vector_i8.npy", np.array([3, 1, 4, 1, 5], dtype="<i8"))
    save("empty_rows_f4.npy", np.zeros((0, 4), dtype="<f4"))
    save("unicode.npy", np.array(["cat", "dög", ""]))
    save("bytes.npy", np.array([b"ab", b"c"]))
    save("be_unicode.npy", np.array(["hi", "yo"], dtype=">U2"))
    # An old Python 2 style header: long integers and no trailing comma.
    write_bytes("py2_header.npy", raw_npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 1L)}",
                                          np.array([7, 8], dtype="<i4").tobytes()))

    # Refused dtypes.
    save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
    save("structured.npy", np.zeros(3, dtype=[("a", "<f4"), ("b", "<i4")]))
    save("complex.npy", np.zeros(2, dtype="<c8"))
    save("float16.npy", np.zeros(2, dtype="<f2"))
    save("datetime.npy", np.array(["2024-01-01"], dtype="datetime64[D]"))

    # Malformed files.
    full = npy_bytes(np.arange(30, dtype="<f4").reshape(10, 3))
    header_length = 10 + int.from_bytes(full[8:10], "little")
    write_bytes("truncated.npy", full[: header_length + 16])
    write_bytes("truncated_header.npy", full[:40])
    write_bytes("tiny.npy", full[:5])
    write_bytes("bad_magic.npy", b"NOTNUMPY" + full[8:])
    write_bytes("bad_header.npy", raw_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, }", bytes(12)))
    write_bytes("missing_shape.npy", raw_npy("{'descr': '<f4', 'fortran_order': False}", bytes(12)))
    write_bytes("bad_fortran.npy", raw_npy("{'descr': '<f4', 'fortran_order': 'no', 'shape': (3,)}", bytes(12)))
    write_bytes("version4.npy", b"\x93NUMPY\x04\x00" + full[8:])
    write_bytes("empty.npy", b"")

    # Feature problems for the data-set checks.
    nan = np.arange(12, dtype="<f4").reshape(4, 3)
    nan[2, 1] = np.nan
    save("nan_features.npy", nan)
    inf = np.arange(12, dtype="<f4").reshape(4, 3)
    inf[0, 2] = -np.inf
    save("inf_features.npy", inf)
    save("features_3d.npy", np.zeros((2, 3, 4), dtype="<f4"))
    save("labels_float.npy", np.array([0.0, 1.0, 2.0]))
    save("labels_fractional.npy", np.array([0.0, 1.5, 2.0]))
    save("labels_2d.npy", np.zeros((3, 2), dtype="<i8"))

    # A tiny data set: 5 rows, 3 features, 3 classes, 2x2 greyscale images, texts.
    features = (np.arange(15, dtype="<f4").reshape(5, 3) / 4).astype("<f4")
    labels = np.array([0, 1, 2, 1, 0], dtype="<i8")
    images = np.arange(20, dtype="u1").reshape(5, 2, 2, 1)
    save("tiny.features.npy", features)
    save("tiny.labels.npy", labels)
    save("tiny.labels_short.npy", labels[:4])
    save("tiny.images.npy", images)
    save("tiny.images_3d.npy", images[..., 0])
    with open(path("tiny.texts.txt"), "w", encoding="utf-8") as f:
        f.write("zero\none\ntwo\nthree\nfour\n")
    with open(path("tiny.labels.txt"), "w") as f:
        f.write("label\n0\n1\n2\n1\n0\n")
    with open(path("tiny.json"), "w") as f:
        f.write('{"name": "tiny", "classes": ["a", "b", "c"], "files": {"features": "tiny.features.npy", '
                '"labels": "tiny.labels.npy", "images": "tiny.images.npy", "texts": "tiny.texts.txt"}}\n')
    with open(path("tiny_mismatch.json"), "w") as f:
        f.write('{"files": {"features": "tiny.features.npy", "labels": "tiny.labels_short.npy"}}\n')
    with open(path("tiny_nofiles.json"), "w") as f:
        f.write('{"name": "broken"}\n')
    with open(path("tiny_invalid.json"), "w") as f:
        f.write('{"files": {"features": \n')

    # .npz archives: np.savez (stored) and np.savez_compressed (deflated);
    # both write ZIP64 local headers (NumPy passes force_zip64=True).
    np.savez(path("stored.npz"), features=features, labels=labels, images=images)
    np.savez_compressed(path("deflated.npz"), features=features, labels=labels, images=images,
                        classes=np.array(["a", "b", "c"]))
    np.savez(path("single.npz"), np.arange(4, dtype="<i4"))  # key arr_0

    # A full ZIP64 archive: ZIP64 extra fields in local and central headers
    # and ZIP64 end-of-central-directory records, forced by lowering limits.
    saved = (zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT)
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
    try:
        with zipfile.ZipFile(path("zip64.npz"), "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            for key, value in [("features", features), ("labels", labels)]:
                with zf.open(key + ".npy", "w", force_zip64=True) as member:
                    member.write(npy_bytes(value))
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = saved

    stored = open(path("stored.npz"), "rb").read()
    write_bytes("truncated.npz", stored[: len(stored) // 2])
    write_bytes("not_zip.npz", b"this is not a zip archive\n")
    # Flip one data byte of the first member (features): the CRC-32 check must fail.
    corrupt = bytearray(stored)
    at = stored.index(b"\x93NUMPY") + 150
    corrupt[at] ^= 0xFF
    write_bytes("corrupt.npz", bytes(corrupt))
    # A member whose .npy data are cut short, inside a valid zip.
    with zipfile.ZipFile(path("member_truncated.npz"), "w") as zf:
        zf.writestr("features.npy", full[: header_length + 16])

    # CSV / TSV.
    with open(path("iris_like.csv"), "w") as f:
        f.write("# a few rows in the shape of the iris data\n"
                "sepal_length,sepal_width,species\n"
                "\n"
                "5.1,3.5,setosa\n"
                "  # a comment between rows\n"
                "4.9, 3.0 ,setosa\n"
                "6.3,3.3,virginica\n"
                "5.8,2.7,versicolor\n")
    with open(path("numbers.tsv"), "w") as f:
        f.write("1\t2\t0\n3\t4\t1\n5\t6\t1\n")
    with open(path("crlf_quoted.csv"), "wb") as f:
        f.write(b'\xef\xbb\xbf"x, first",y,label\r\n1.5,2,3\r\n-1e-3,"4",7\r\n')
    with open(path("ragged.csv"), "w") as f:
        f.write("a,b,c\n1,2,3\n4,5\n")
    with open(path("non_numeric.csv"), "w") as f:
        f.write("a,b,c\n1,2,3\n4,five,6\n")
    with open(path("empty_cell.csv"), "w") as f:
        f.write("1,2,3\n4,,6\n")
    with open(path("unterminated.csv"), "w") as f:
        f.write('a,b\n1,"2\n')
    with open(path("nan.csv"), "w") as f:
        f.write("a,b\n1,2\n3,nan\n")

    total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} fixtures, {total} bytes, to {os.path.normpath(OUT)}")
    if total > 1_000_000:
        sys.exit("fixtures exceed 1 MB")


if __name__ == "__main__":
    main()

"""Digits offline, IDX files (generated here), the learner's CSV: shapes and refusals."""

import gzip
import time

import numpy as np
import pytest

from nnviz.engine import SGD, Dense, Sequential, Trainer
from nnviz.engine.real_data import DataFileError, load_csv, load_digits, load_mnist, read_idx


def write_idx(path, array, type_code=0x08, compress=False):
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    data = header + array.astype(">u1" if type_code == 0x08 else ">f4").tobytes()
    (gzip.open if compress else open)(path, "wb").write(data)
    return data


def test_digits_load_offline_with_the_right_shapes():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert set(np.unique(y)) == set(range(10)) and 0.0 <= X.min() and X.max() == 1.0


def test_a_digits_network_learns_within_seconds():
    X, y = load_digits()
    order = np.random.default_rng(0).permutation(len(X))
    train, test = order[:1300], order[1300:]
    model = Sequential(64, [Dense(32, "relu", kernel_initializer="he_uniform"), Dense(10, "softmax")], seed=0)
    trainer = Trainer(model, optimizer=SGD(0.1), batch_size=32, seed=0)
    trainer.set_data(X[train], y[train])
    start = time.perf_counter()
    for _ in range(15):
        trainer.run_epoch()
    seconds = time.perf_counter() - start
    accuracy = trainer.evaluate(X[test], y[test])[1]
    assert accuracy > 0.9, accuracy
    assert seconds < 10  # generous: an epoch takes a few hundredths of a second here


@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path, compress):
    images = np.random.default_rng(1).integers(0, 256, (5, 28, 28)).astype(np.uint8)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    write_idx(tmp_path / "img", images, compress=compress)
    write_idx(tmp_path / "lab", labels, compress=compress)
    np.testing.assert_array_equal(read_idx(str(tmp_path / "img")), images)
    X, y = load_mnist(str(tmp_path / "img"), str(tmp_path / "lab"))
    assert X.shape == (5, 784) and y.tolist() == [3, 1, 4, 1, 5] and X.max() <= 1.0
    floats = np.arange(6, dtype=np.float32).reshape(2, 3)
    write_idx(tmp_path / "f", floats, type_code=0x0D)
    np.testing.assert_array_equal(read_idx(str(tmp_path / "f")), floats)


def test_corrupted_idx_files_are_refused_with_the_file(tmp_path):
    images = np.zeros((4, 28, 28), dtype=np.uint8)
    data = write_idx(tmp_path / "good", images)
    cases = {"magic": b"\x12\x34\x08\x03" + data[4:], "truncated": data[:-100], "empty": b"",
             "header": data[:9], "gzip": gzip.compress(data)[:-30]}
    messages = {"magic": "not an IDX file", "truncated": "truncated?", "empty": "not an IDX file",
                "header": "truncated IDX header", "gzip": ""}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(DataFileError) as info:
            read_idx(str(path))
        assert name in str(info.value) and messages[name] in str(info.value)
    write_idx(tmp_path / "labels", np.zeros(3, dtype=np.uint8))
    with pytest.raises(DataFileError, match="4 images but .* 3 labels"):
        load_mnist(str(tmp_path / "good"), str(tmp_path / "labels"))


def csv_file(tmp_path, text):
    path = tmp_path / "mine.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_import(tmp_path):
    path = csv_file(tmp_path, "a,b,kind\n1,2,cat\n2,3,dog\n3,5,cat\n4,4,dog\n")
    X, y, classes = load_csv(path, ["a", "b"], "kind", standardize=True)
    assert X.shape == (4, 2) and classes == ["cat", "dog"] and y.tolist() == [0, 1, 0, 1]
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    X, _, _ = load_csv(path, ["b"], "kind", standardize=False)
    assert X[:, 0].tolist() == [2, 3, 5, 4]


@pytest.mark.parametrize("text, message", [
    ("a,b,y\n1,,0\n2,3,1\n3,4,0\n4,5,1\n", "row 2, column 'b': missing value"),
    ("a,b,y\n1,2,0\n2,x3,1\n3,4,0\n4,5,1\n", "row 3, column 'b': 'x3' is not a number"),
    ("a,b,y\n1,2,0\n2,3,1\n", "2 data rows; at least 4"),
    ("a,b,y\n1,2,0\n2,3,0\n3,4,0\n4,5,0\n", "single class"),
    ("a,b,y\n1,2,0\n2,3,1\n3,4,0\n4,5,\n", "row 5, column 'y': missing label"),
    ("", "empty"),
])
def test_bad_csv_files_name_the_row_and_column(tmp_path, text, message):
    with pytest.raises(DataFileError, match="mine.csv: .*" + message.replace("(", r"\(")):
        load_csv(csv_file(tmp_path, text), ["a", "b"], "y")
    with pytest.raises(DataFileError, match="no column named 'c'"):
        load_csv(csv_file(tmp_path, "a,b,y\n1,2,0\n"), ["c"], "y")


def test_a_huge_or_missing_csv_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.seek(201 * 2**20)
        f.write(b"\n")
    with pytest.raises(DataFileError, match="huge.csv: larger than 200 MB"):
        load_csv(str(path), ["a"], "b")
    with pytest.raises(DataFileError, match="nothing.csv: cannot read it"):
        load_csv(str(tmp_path / "nothing.csv"), ["a"], "b")


def test_numeric_labels_are_one_class_however_they_are_written(tmp_path):
    """"1", "1.0" and "01" used to become three classes."""
    from nnviz.engine.datasets import csv_dataset

    path = csv_file(tmp_path, "a,b,y\n1,2,1\n2,3,1.0\n3,4,01\n4,5,2\n5,6,+2e0\n6,7,cat\n7,8,cat\n")
    X, y, classes = load_csv(path, ["a", "b"], "y")
    assert classes == ["1", "2", "cat"] and y.tolist() == [0, 0, 0, 1, 1, 2, 2]
    assert csv_dataset(path, ["a", "b"], "y").n_classes == 3


@pytest.mark.parametrize("text, name", [("01", "1"), ("-0", "0"), ("1e3", "1000"), ("0.50", "0.5"),
                                        ("nan", "nan"), ("1_0", "1_0"), ("\u0661", "\u0661"),
                                        ("9" * 40, str(int(float("9" * 40)))), ("1e999", "1e999")])
def test_label_names_put_numbers_in_their_plain_form(text, name):
    from nnviz.engine.real_data import label_name

    assert label_name(text) == name


def test_an_mnist_folder_gives_the_image_shape_from_the_files(tmp_path):
    from nnviz.engine.real_data import load_mnist_folder

    rng = np.random.default_rng(0)
    for prefix, n in (("train", 12), ("t10k", 4)):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 9, 9)).astype(np.uint8))
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte.gz", (np.arange(n) % 10).astype(np.uint8), compress=True)
    X_train, y_train, X_test, y_test, shape = load_mnist_folder(str(tmp_path))
    assert shape == (9, 9) and X_train.shape == (12, 81) and X_test.shape == (4, 81)


def test_the_csv_preview_reads_only_the_rows_it_shows(tmp_path):
    from nnviz.engine.real_data import read_csv_table

    header, rows = read_csv_table(csv_file(tmp_path, "a,b\n" + "1,2\n" * 1000 + "3,\"oops\n"), max_rows=12)
    assert header == ["a", "b"] and len(rows) == 12

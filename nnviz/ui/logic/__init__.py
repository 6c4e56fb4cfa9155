"""What the views compute before drawing — inspector text, curve decimation, histogram
bins, the network graph's geometry — in plain NumPy, without Qt, so that it is tested
on its own (a test checks that nothing here imports Qt)."""

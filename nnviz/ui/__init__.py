"""The desktop app: PySide6 + pyqtgraph. The worker is the only place Qt meets the engine."""

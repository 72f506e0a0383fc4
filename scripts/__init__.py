"""Helper scripts of the repository: the demo, run as python -m scripts.demo."""

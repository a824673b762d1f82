"""Benchmarks of uploadtrail: each module measures one thing against a reference in the same run."""

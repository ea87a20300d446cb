"""Split by part: returns (and the classification and mapping) and the comparison."""

//! Demo projects of the Office (being written).

//! The archive's `index.html` and its search (to come).

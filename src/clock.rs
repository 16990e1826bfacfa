//! The only place that reads the time or sleeps.
//!
//! `Clock` is a small trait so the engine and tests can run on simulated time.

//! Helpers for integration tests that need real external parts.
//! Include with `mod common; mod support;` at the test crate's root.
pub mod desktop;
pub mod hung_server;
pub mod monitor;

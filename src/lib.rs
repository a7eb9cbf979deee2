//! wangge 网格: a grid-based epidemic prevention and control platform.
//! See ARCHITECTURE.md for the map of the code.

pub mod app;
pub mod cli;
pub mod domain;
pub mod http;
pub mod store;

//! Types and rules of the grid, with no I/O: everything here is parsed at the
//! boundary (CLI, HTTP, files) into these types and is tested without a database.

pub mod account;
pub mod alert;
pub mod boundaries;
pub mod checkin;
pub mod checkpoint;
pub mod command;
pub mod confirmations;
pub mod contacts;
pub mod divisions;
pub mod error;
pub mod household;
pub mod id_number;
pub mod isolation;
pub mod issuing_body;
pub mod lang;
pub mod password;
pub mod phone;
pub mod roster;
pub mod screening;
pub mod table;
pub mod text;
pub mod throttle;
pub mod time;
pub mod trends;
pub mod unit;
pub mod words;

pub use account::{Caller, Login, Permission, Role};
pub use alert::{AlertKind, LapseKind, Target, TargetKind, TaskKind};
pub use checkpoint::{CheckpointKind, Direction, Location, Outcome, Plate, Temperature};
pub use error::DomainError;
pub use household::{Colour, ColourCause, ColourFacts, Residence};
pub use id_number::{IdNumber, Sex};
pub use lang::Lang;
pub use phone::Phone;
pub use screening::{Health, KeyArea, Stay, Transport, VisitOutcome};
pub use unit::{Level, UnitCode, UnitPath};
pub use words::UnknownWord;

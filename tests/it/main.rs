//! The integration tests: one binary, driving the real server over HTTP, the storage
//! contract on both backends, the command line, and the pages in headless Chromium.

mod support;

mod api_accounts;
mod api_checkins;
mod api_checkpoints;
mod api_command;
mod api_confirmations;
mod api_isolation;
mod api_maps;
mod api_roster;
mod api_scoping;
mod api_screening;
mod api_trends;
mod architecture;
pub(crate) mod browser;
mod browser_command;
mod cli;
mod demo;
mod durability;
mod figure_links;
mod first_week;
mod form_messages;
mod forms;
mod import_concurrency;
mod input_rules;
mod login_security;
mod long_lists;
mod migrations;
mod pages;
mod printouts;
mod recount;
pub(crate) mod security;
mod security_people;
mod store_contract;
mod stored_words;

//! A pure state machine from observed instants to events: ticks, reminders
//! due, milestones reached (late by how much). No clock, terminal or I/O.

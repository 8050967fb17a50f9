use actdiff::prelude::*;

activation! {}

fn main() {}

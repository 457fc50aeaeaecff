package dev.party.engine;

import dev.party.store.ClaimedTask;
import dev.party.store.Completion;

/** A finished run waiting to be written. */
record RunResult(ClaimedTask claimed, Completion completion) {}

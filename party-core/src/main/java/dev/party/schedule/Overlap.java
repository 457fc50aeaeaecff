package dev.party.schedule;

/** What a schedule does when a period comes while the task of an earlier one has not ended. */
public enum Overlap {
  /** Skip the period (the default): one run at a time. */
  SKIP,
  /** Fire anyway: runs may overlap. */
  ALLOW
}

package dev.crmkit.actions;

/**
 * What one {@link EventActions#processBatch()} or {@link EventActions#runOnce()} did.
 *
 * @param claimed events claimed from the outbox
 * @param done events whose writes completed
 * @param retried events that failed and were scheduled for another attempt
 * @param parked events parked as failed (a permanent error, attempts used up, or an unreadable payload)
 * @param lost events whose lease another worker took before this one finished (their result was not
 *     recorded by this worker; the other worker's counts)
 */
public record ProcessingReport(int claimed, int done, int retried, int parked, int lost) {
  /** Nothing done. */
  public static final ProcessingReport EMPTY = new ProcessingReport(0, 0, 0, 0, 0);

  /** The sum of two reports. */
  public ProcessingReport plus(ProcessingReport o) {
    return new ProcessingReport(claimed + o.claimed, done + o.done, retried + o.retried, parked + o.parked,
        lost + o.lost);
  }
}

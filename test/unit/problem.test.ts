import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { isUnavailable } from '../../api/problem';

/** Which errors the API answers with 503 and Retry-After (retry with the same Idempotency-Key) rather than 500. */
describe('isUnavailable', () => {
  it('counts Temporal unreachable, an update the server stopped waiting for, and PostgreSQL connection errors', () => {
    expect(isUnavailable(Object.assign(new Error('14 UNAVAILABLE'), { code: 14 }))).toBe(true);
    expect(
      isUnavailable(
        new WorkflowUpdateRPCTimeoutOrCancelledError('Timeout or cancellation waiting for update', {
          cause: Object.assign(new Error('4 DEADLINE_EXCEEDED: context deadline exceeded'), { code: 4 }),
        }),
      ),
    ).toBe(true);
    expect(
      isUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(
      isUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })),
    ).toBe(true);
    // Out of connection slots: seen in the server shape's mixed load before max_connections was raised.
    expect(isUnavailable(Object.assign(new Error('sorry, too many clients already'), { code: '53300' }))).toBe(true);
  });

  it('does not count a rejected command or a bug', () => {
    expect(isUnavailable(new WorkflowUpdateFailedError('Workflow Update failed', undefined))).toBe(false);
    expect(isUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isUnavailable(undefined)).toBe(false);
  });
});

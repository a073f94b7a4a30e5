/**
 * Headers dlq-manager adds to a replayed message (DLQ replay). A replay carries the original
 * value, key and headers, so without these a consumer could not tell a replay from a
 * redelivery of the original record (which its inbox rightly swallows).
 *  - `dlq-replay-of`: the dead letter the message was replayed from (a new failure links back);
 *  - `dlq-replay-id`: one id per replay call, derived from the dead letter id and its replay
 *    number, so a retried replay call repeats the same id while a second replay gets a new one.
 * A consumer that keys its inbox on the message id folds `dlq-replay-id` into that key.
 */
export const DLQ_REPLAY_OF_HEADER = 'dlq-replay-of';
export const DLQ_REPLAY_ID_HEADER = 'dlq-replay-id';

using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>Field names of stream entries, dead letters and results (see docs/redis.md). Short, because every
/// entry carries them.</summary>
internal static class Fields
{
    // Envelope (stream entries, due-later members, dead letters).
    public static readonly RedisValue Id = "id";
    public static readonly RedisValue Actor = "actor";
    public static readonly RedisValue Args = "args";
    public static readonly RedisValue Attempt = "attempt";
    public static readonly RedisValue EnqueuedAt = "enq";
    public static readonly RedisValue DueAt = "due";
    public static readonly RedisValue Headers = "h";
    public static readonly RedisValue PriorDeliveries = "dc";

    // The unique key a worker releases when it settles the task for good (only while held until the outcome).
    public static readonly RedisValue UniqueKey = "uq";

    // The one field of an entry that holds other entries' fields as a due-later member would (a due member that did
    // not decode, promoted by the Promote script; an undecodable entry with too many fields to dead-letter one by one).
    public static readonly RedisValue Raw = "raw";

    // Dead-letter metadata, always the first seven pairs of a dead-letter entry, in this order.
    public static readonly RedisValue DeadReason = "x_reason";
    public static readonly RedisValue DeadType = "x_type";
    public static readonly RedisValue DeadMessage = "x_message";
    public static readonly RedisValue DeadStack = "x_stack";
    public static readonly RedisValue DeadAt = "x_at";
    public static readonly RedisValue DeadEntry = "x_entry";
    public static readonly RedisValue DeadDeliveries = "x_deliveries";
    public const int DeadLetterMetadataPairs = 7;

    // Results (hash fields).
    public static readonly RedisValue ResultSucceeded = "ok";
    public static readonly RedisValue ResultValue = "v";
    public static readonly RedisValue ResultAt = "at";
    public static readonly RedisValue ResultReason = "reason";
    public static readonly RedisValue ResultType = "type";
    public static readonly RedisValue ResultMessage = "msg";
    public static readonly RedisValue ResultStack = "stack";

    // Status records (hash fields of P:status:{ID}).
    public static readonly RedisValue StatusRank = "rk";
    public static readonly RedisValue StatusState = "st";
    public static readonly RedisValue StatusAttempt = "att";
    public static readonly RedisValue StatusWorker = "wk";
    public static readonly RedisValue StatusEnqueuedAt = "enq";
    public static readonly RedisValue StatusStartedAt = "start";
    public static readonly RedisValue StatusUpdatedAt = "upd";
    public static readonly RedisValue StatusNextAt = "next";
    public static readonly RedisValue StatusFinishedAt = "fin";
    public static readonly RedisValue StatusErrorReason = "er";
    public static readonly RedisValue StatusErrorType = "et";
    public static readonly RedisValue StatusErrorMessage = "em";
    public static readonly RedisValue ProgressSequence = "ps";
    public static readonly RedisValue ProgressPercent = "pp";
    public static readonly RedisValue ProgressMessage = "pm";
    public static readonly RedisValue ProgressValue = "pv";
    public static readonly RedisValue ProgressAt = "pat";

    // Workflows (hash fields of P:wf:{ID}; a step's fields end in its index, ":<i>").
    public static readonly RedisValue WorkflowCount = "count";
    public static readonly RedisValue WorkflowSummary = "sum";
    public static readonly RedisValue WorkflowFinal = "final";
    public const string WorkflowStepPrefix = "n:";
    public const string WorkflowWaitingPrefix = "w:";
    public const string WorkflowFailuresPrefix = "f:";
    public const string WorkflowOutcomePrefix = "o:";

    // Inside an encoded final state (WorkflowRecordCodec), beside the result's error fields.
    public static readonly RedisValue FinalState = "st";
    public static readonly RedisValue FinalStep = "step";
}

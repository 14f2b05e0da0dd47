using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>Continues the send pipeline with a (possibly replaced) message.</summary>
public delegate ValueTask SendDelegate(TaskMessage message, CancellationToken cancellationToken);

/// <summary>Runs around every send: add headers (trace context), validate, log, measure.</summary>
public interface ISendMiddleware
{
    /// <summary>Calls <paramref name="next"/> to continue; a middleware may pass a modified copy (<c>message with { ... }</c>).</summary>
    ValueTask SendAsync(TaskMessage message, SendDelegate next, CancellationToken cancellationToken);
}

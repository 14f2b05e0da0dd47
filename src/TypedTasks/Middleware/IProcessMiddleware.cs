using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>Continues the processing pipeline.</summary>
public delegate ValueTask ProcessDelegate(TaskContext context);

/// <summary>Runs around every attempt on the worker: tracing, logging, metrics, ambient state.</summary>
public interface IProcessMiddleware
{
    /// <summary>Calls <paramref name="next"/> to run the actor; exceptions propagate to the retry logic.</summary>
    ValueTask ProcessAsync(TaskContext context, ProcessDelegate next);
}

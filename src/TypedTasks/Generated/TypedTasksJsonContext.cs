using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json.Serialization;
using System.Text.Json;
using System;

namespace TypedTasks.Generated;

/// <summary>
/// Source-generated JSON metadata for the primitive and common BCL types actors may take or return without the user
/// declaring anything. The generator resolves a parameter's metadata from the user's own
/// <see cref="JsonSerializerContext"/> first and from this context second.
/// </summary>
/// <remarks>The generator keeps a list of these types (<c>generators/.../Parsing/BuiltInJsonTypes.cs</c>); the two must agree.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(byte))]
[JsonSerializable(typeof(sbyte))]
[JsonSerializable(typeof(short))]
[JsonSerializable(typeof(ushort))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(uint))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(char))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTime))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(TimeSpan))]
[JsonSerializable(typeof(DateOnly))]
[JsonSerializable(typeof(TimeOnly))]
[JsonSerializable(typeof(Uri))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(byte?))]
[JsonSerializable(typeof(short?))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(float?))]
[JsonSerializable(typeof(double?))]
[JsonSerializable(typeof(decimal?))]
[JsonSerializable(typeof(Guid?))]
[JsonSerializable(typeof(DateTime?))]
[JsonSerializable(typeof(DateTimeOffset?))]
[JsonSerializable(typeof(TimeSpan?))]
[JsonSerializable(typeof(DateOnly?))]
[JsonSerializable(typeof(TimeOnly?))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(int[]))]
[JsonSerializable(typeof(long[]))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(decimal[]))]
[JsonSerializable(typeof(bool[]))]
[JsonSerializable(typeof(Guid[]))]
[JsonSerializable(typeof(DateTime[]))]
[JsonSerializable(typeof(DateTimeOffset[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(List<long>))]
[JsonSerializable(typeof(List<double>))]
[JsonSerializable(typeof(List<decimal>))]
[JsonSerializable(typeof(List<bool>))]
[JsonSerializable(typeof(List<Guid>))]
[JsonSerializable(typeof(List<DateTime>))]
[JsonSerializable(typeof(List<DateTimeOffset>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<int>))]
[JsonSerializable(typeof(IReadOnlyList<long>))]
[JsonSerializable(typeof(IReadOnlyList<Guid>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(WorkflowFailure))]
public sealed partial class TypedTasksJsonContext : JsonSerializerContext
{
}

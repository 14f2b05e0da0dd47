using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TypedTasks.Generators.Model;

/// <summary>Where a diagnostic points, as plain values.</summary>
/// <remarks>A <see cref="Location"/> holds its syntax tree alive and never compares equal across runs, so models keep
/// this equatable copy and recreate the location only when a diagnostic is reported.</remarks>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());
}

using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// Implemented by every generated record and every generated list of records: the first required member
/// (the spec's <c>required</c>) that is missing or null, at this level or below it. Generated code, not
/// reflection, so the check of an answer survives trimming and allocates nothing when nothing is missing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRequiredMembers
{
    /// <summary>
    /// The JSON path, relative to this value, of the first required member that is missing or null
    /// (<c>message.role</c>, <c>[1].label</c>), or null when every required member is present. The path
    /// is built only when a member is missing.
    /// </summary>
    string? FindMissingMember();
}

/// <summary>What the generated <see cref="IRequiredMembers"/> implementations call for the members they descend into.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RequiredMembers
{
    /// <summary>The missing member below a generated record or list of records (null: none, or <paramref name="value"/> is null).</summary>
    /// <typeparam name="T">A generated record or list of records.</typeparam>
    /// <param name="value">The member's value.</param>
    /// <returns>The path relative to <paramref name="value"/>, or null.</returns>
    public static string? Find<T>(T? value)
        where T : class, IRequiredMembers => value?.FindMissingMember();

    /// <summary>Any other type (a union, a map, a tensor): nothing to check, chosen by overload resolution at compile time.</summary>
    /// <param name="value">The member's value.</param>
    /// <returns>Always null.</returns>
    public static string? Find(object? value) => null;

    /// <summary>
    /// The first null element of a list of generated records, or the first missing member of one of them
    /// (<c>[2]</c>, <c>[0].message</c>); null when there is none or the list is null.
    /// </summary>
    /// <typeparam name="T">A generated record.</typeparam>
    /// <param name="list">The list.</param>
    /// <returns>The path relative to <paramref name="list"/>, or null.</returns>
    public static string? FindInList<T>(IReadOnlyList<T?>? list)
        where T : class, IRequiredMembers
    {
        if (list is null)
        {
            return null;
        }

        // By index: an enumerator of an interface would be an allocation per list.
        var count = list.Count;
        for (var i = 0; i < count; i++)
        {
            var item = list[i];
            var missing = item is null ? string.Empty : item.FindMissingMember();
            if (missing is not null)
            {
                return Join("[" + i.ToString(CultureInfo.InvariantCulture) + "]", missing);
            }
        }

        return null;
    }

    /// <summary>A list of anything else (strings, numbers, lists): nothing to check.</summary>
    /// <param name="list">The list.</param>
    /// <returns>Always null.</returns>
    public static string? FindInList(object? list) => null;

    /// <summary>A member's wire name (or an index) and the path below it: <c>a</c> + <c>b</c> is <c>a.b</c>, <c>a</c> + <c>[0]</c> is <c>a[0]</c>.</summary>
    /// <param name="segment">The member's wire name, or <c>[i]</c>.</param>
    /// <param name="below">The path below it; empty for the member itself.</param>
    /// <returns>The joined path.</returns>
    public static string Join(string segment, string below) =>
        below.Length == 0 ? segment : below[0] == '[' ? segment + below : segment + "." + below;
}

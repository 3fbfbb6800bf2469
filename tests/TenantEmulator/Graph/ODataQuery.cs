using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TenantEmulator;

/// <summary>
/// The OData query options the emulator understands: $filter (one "prop eq 'value'" clause on an
/// allowed property), $select and $top. Anything else is rejected with 400 rather than ignored,
/// so the module cannot come to rely on a query the emulator silently does not apply.
/// </summary>
public static partial class ODataQuery
{
    [GeneratedRegex(@"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EqClause();

    private static readonly HashSet<string> Understood = new(StringComparer.OrdinalIgnoreCase) { "$select", "$filter", "$top" };

    public static void RejectUnknownOptions(GraphRequest request)
    {
        foreach (var name in request.Query.Keys)
            if (name.StartsWith('$') && !Understood.Contains(name))
                throw new GraphException(400, "Request_UnsupportedQuery", $"The query option '{name}' is not supported by the emulator.");
    }

    /// <summary>The parsed $filter, or null. Only "prop eq 'value'" on the given properties.</summary>
    public static (string Property, string Value)? Filter(GraphRequest request, string resource, params string[] allowed)
    {
        var text = request.QueryValue("$filter");
        if (text is null) return null;
        var match = EqClause().Match(text);
        if (!match.Success || !allowed.Contains(match.Groups[1].Value, StringComparer.Ordinal))
            throw new GraphException(400, "Request_UnsupportedQuery",
                $"Unsupported or invalid query filter clause specified for '{resource}': {text}");
        return (match.Groups[1].Value, match.Groups[2].Value.Replace("''", "'"));
    }

    public static bool Matches(JsonObject item, (string Property, string Value)? filter) =>
        filter is not { } f || string.Equals((string?)item[f.Property], f.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>The $select list, or null; a property the type does not have is a 400 as in Graph.</summary>
    public static string[]? Select(GraphRequest request, string typeName, IEnumerable<JsonObject> stored, IReadOnlyCollection<string> known)
    {
        var text = request.QueryValue("$select");
        if (text is null) return null;
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var present = stored.SelectMany(o => o.Select(p => p.Key)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var name in names)
        {
            var canonical = known.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? present.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw GraphException.BadRequest($"Could not find a property named '{name}' on type 'microsoft.graph.{typeName}'.");
            if (!result.Contains(canonical)) result.Add(canonical);
        }
        return result.ToArray();
    }

    public static int? Top(GraphRequest request)
    {
        var text = request.QueryValue("$top");
        if (text is null) return null;
        if (!int.TryParse(text, out var top) || top < 1 || top > 999)
            throw GraphException.BadRequest($"Invalid page size specified: '{text}'. Must be between 1 and 999 inclusive.");
        return top;
    }

    /// <summary>
    /// A copy of a stored object as Graph would serve it: only the selected properties (null when
    /// unset), and keyCredentials' "key" nulled unless <paramref name="keepKeys"/>.
    /// </summary>
    public static JsonObject Project(JsonObject stored, string[]? select, bool keepKeys)
    {
        JsonObject copy;
        if (select is null) copy = (JsonObject)stored.DeepClone();
        else
        {
            copy = new JsonObject();
            foreach (var name in select) copy[name] = stored[name]?.DeepClone();
        }
        if (!keepKeys && copy["keyCredentials"] is JsonArray keys)
            foreach (var key in keys.OfType<JsonObject>()) key["key"] = null;
        return copy;
    }

    public static string Context(GraphRequest request, string entitySet, string[]? select, bool single)
    {
        var context = $"{request.BaseUrl}/v1.0/$metadata#{entitySet}";
        if (select is not null) context += $"({string.Join(',', select)})";
        return single ? context + "/$entity" : context;
    }

    /// <summary>A Graph collection answer: {"@odata.context", "value": [...]}.</summary>
    public static GraphResponse Collection(GraphRequest request, string entitySet, IEnumerable<JsonObject> items, string[]? select, bool keepKeys = false)
    {
        var top = Top(request);
        var list = top is int n ? items.Take(n) : items;
        return GraphResponse.Ok(new JsonObject
        {
            ["@odata.context"] = Context(request, entitySet, select, single: false),
            ["value"] = new JsonArray(list.Select(o => (JsonNode)Project(o, select, keepKeys)).ToArray()),
        });
    }

    public static GraphResponse Single(GraphRequest request, string entitySet, JsonObject item, string[]? select, bool keepKeys = false, int status = 200)
    {
        var body = new JsonObject { ["@odata.context"] = Context(request, entitySet, select, single: true) };
        foreach (var (name, value) in Project(item, select, keepKeys)) body[name] = value?.DeepClone();
        return GraphResponse.Ok(body, status);
    }
}

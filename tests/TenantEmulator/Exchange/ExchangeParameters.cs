using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>Reads CmdletInput.Parameters values (case-insensitive names, as PowerShell binds them).</summary>
public static class ExchangeParameters
{
    public static JsonNode? Get(JsonObject parameters, string name)
    {
        foreach (var (key, value) in parameters)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    public static bool Has(JsonObject parameters, string name)
    {
        foreach (var (key, value) in parameters)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && value is not null) return true;
        return false;
    }

    /// <summary>A scalar as text (a one-element array is unwrapped); null when absent.</summary>
    public static string? String(JsonObject parameters, string name)
    {
        var node = Get(parameters, name);
        if (node is JsonArray { Count: 1 } single) node = single[0];
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v => v.ToJsonString(),
            _ => throw ExchangeError.Argument($"Cannot convert the value of parameter '{name}' to a single string."),
        };
    }

    public static string[]? Strings(JsonObject parameters, string name)
    {
        var node = Get(parameters, name);
        return node switch
        {
            null => null,
            JsonArray a => a.Select(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : n?.ToJsonString() ?? "").ToArray(),
            _ => [String(parameters, name)!],
        };
    }

    public static bool? Bool(JsonObject parameters, string name)
    {
        var node = Get(parameters, name);
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed)) return parsed;
            // A switch sent as {"IsPresent": true} by a naive serializer.
        }
        if (node is JsonObject o && o["IsPresent"] is JsonValue p && p.TryGetValue<bool>(out var present)) return present;
        throw ExchangeError.Argument($"Cannot convert the value of parameter '{name}' to type 'System.Boolean'.");
    }
}

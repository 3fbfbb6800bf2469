using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// Faults queued by tests through POST /_emulator/exchange/faults. Each fault names a cmdlet
/// ("*" = any) and fails the next <c>count</c> calls of it, oldest fault first.
/// kind "replication": the "not yet in Entra ID" error a freshly created service principal
/// gives, in the wording of the option "replicationError" (any cmdlet; it names the -ObjectId,
/// -ServiceId or -App value).
/// kind "error": a generic error with the given message, exception type and HTTP status.
/// kind "secondadmin": another admin runs the same cmdlet with the same parameters just before
/// this call, so the call meets what Exchange answers for a duplicate (New-ServicePrincipal: "...
/// already exists in the organization.", ADObjectAlreadyExistsException; a duplicate
/// New-ServicePrincipal fails with a message containing "already exist", which is the fragment
/// CIPP-API matches on: /work/shared/reference/graph-and-exchange.md).
/// </summary>
public sealed class ExchangeFaults
{
    private readonly object _gate = new();
    private readonly List<Fault> _faults = new();

    private sealed class Fault
    {
        public required string Cmdlet { get; init; }
        public required string Kind { get; init; }
        public int Remaining { get; set; }
        public string? Message { get; init; }
        public string? ExceptionType { get; init; }
        public int Status { get; init; }
    }

    public JsonObject Add(JsonObject body)
    {
        var cmdlet = (string?)body["cmdlet"] ?? throw new ArgumentException("'cmdlet' is required (an Exchange cmdlet name or '*').");
        var kind = ((string?)body["kind"] ?? "error").ToLowerInvariant();
        if (kind is not ("replication" or "error" or "secondadmin")) throw new ArgumentException("'kind' must be 'replication', 'error' or 'secondadmin'.");
        var count = body["count"] is JsonValue v && v.TryGetValue<int>(out var c) ? c : 1;
        if (count < 1) throw new ArgumentException("'count' must be at least 1.");
        var status = body["status"] is JsonValue s && s.TryGetValue<int>(out var st) ? st : 400;
        var fault = new Fault
        {
            Cmdlet = cmdlet,
            Kind = kind,
            Remaining = count,
            Message = (string?)body["message"],
            ExceptionType = (string?)body["exceptionType"],
            Status = status,
        };
        lock (_gate) _faults.Add(fault);
        return Describe(fault);
    }

    public void Clear()
    {
        lock (_gate) _faults.Clear();
    }

    public JsonArray List()
    {
        lock (_gate) return new JsonArray(_faults.Select(f => (JsonNode)Describe(f)).ToArray());
    }

    /// <summary>
    /// If a fault is queued for this cmdlet, consumes one use of it and returns the error to answer
    /// with; a "secondadmin" fault returns no error but sets <paramref name="secondAdminFirst"/>: the
    /// caller runs the cmdlet once as that admin, then the call itself.
    /// </summary>
    public ExchangeError? Take(string cmdletName, JsonObject parameters, JsonObject exchange, out bool secondAdminFirst)
    {
        secondAdminFirst = false;
        Fault? fault;
        lock (_gate)
        {
            fault = _faults.FirstOrDefault(f => f.Cmdlet == "*" || string.Equals(f.Cmdlet, cmdletName, StringComparison.OrdinalIgnoreCase));
            if (fault is null) return null;
            if (--fault.Remaining <= 0) _faults.Remove(fault);
        }
        if (fault.Kind == "secondadmin")
        {
            secondAdminFirst = true;
            return null;
        }
        if (fault.Kind == "replication")
        {
            var objectId = ExchangeParameters.String(parameters, "ObjectId") ?? ExchangeParameters.String(parameters, "ServiceId")
                ?? ExchangeParameters.String(parameters, "App") ?? "";
            var appId = ExchangeParameters.String(parameters, "AppId") ?? "";
            var error = ReplicationError(exchange, objectId, appId);
            return new ExchangeError(fault.ExceptionType ?? error.TypeName, fault.Message ?? error.Message, fault.Status, error.Code);
        }
        return new ExchangeError(fault.ExceptionType ?? "Microsoft.Exchange.Configuration.Tasks.TaskException",
            fault.Message ?? $"An error caused a change in the current set of domain controllers (injected fault for {cmdletName}).", fault.Status, "Ex5E3F21");
    }

    /// <summary>
    /// The error of a service principal that Exchange cannot find (yet) in Entra ID, in the wording
    /// the option "replicationError" chooses. Neither is confirmed for this case:
    /// "objectNotFound" is Exchange's usual not-found text (ManagementObjectNotFoundException, as
    /// Remove-*/Get-* -Identity answer it); "azureAd" is an invented one no public capture shows.
    /// Either names the object it looked for: the -ObjectId, or the -App value.
    /// </summary>
    public static ExchangeError ReplicationError(JsonObject exchange, string objectId, string appId) =>
        ExchangeCmdlets.Option(exchange, "replicationError") == "objectNotFound"
            ? ExchangeError.NotFound(objectId)
            : new(ExchangeError.DirectoryObjectNotFoundType,
                $"The service principal with ObjectId '{objectId}'" + (appId.Length > 0 ? $" and AppId '{appId}'" : "")
                + " could not be found in Azure Active Directory. If it was created recently, wait for directory replication and try again.",
                400, "Ex9A1C7E");

    private static JsonObject Describe(Fault f) => new()
    {
        ["cmdlet"] = f.Cmdlet,
        ["kind"] = f.Kind,
        ["count"] = f.Remaining,
        ["message"] = f.Message,
        ["exceptionType"] = f.ExceptionType,
        ["status"] = f.Status,
    };
}

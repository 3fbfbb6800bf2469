using System.Text.Json.Nodes;

namespace TenantEmulator;

/// <summary>
/// A failed Exchange cmdlet. Rendered by <see cref="ToBody"/> in the shape the Exchange Online
/// admin API (adminapi/beta/{org}/InvokeCommand) uses, as captured from live tenants by others:
/// <code>
/// {"error":{"code":"BadRequest","message":"Invalid Operation",
///   "details":[{"code":"Client","target":"","message":"ExNNNNNN|Exception.Type.Name|message"}],
///   "innererror":{"message":"Invalid Operation","type":"Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
///     "stacktrace":"","internalexception":{"message":"message","type":"Exception.Type.Name","stacktrace":""}}}}
/// </code>
/// error.message is always the useless "Invalid Operation"; the real text and the exception type
/// are in innererror.internalexception (and again in details[0].message as "code|type|text").
/// </summary>
public sealed class ExchangeError : Exception
{
    public const string NotFoundType = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException";
    public const string AmbiguousType = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException";
    public const string AlreadyExistsType = "Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException";
    public const string ArgumentType = "Microsoft.Exchange.Configuration.Tasks.TaskArgumentException";
    public const string ParameterSetType = "Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException";
    public const string CommandNotFoundType = "System.Management.Automation.CommandNotFoundException";
    public const string NotSupportedType = "System.NotSupportedException";
    // Invented name (no public source found) for the "not yet in Entra ID" failure of New-ServicePrincipal.
    public const string DirectoryObjectNotFoundType = "Microsoft.Exchange.Management.RbacTasks.ServicePrincipalNotFoundInDirectoryException";

    /// <summary>A fake domain-controller name, like the "...PROD.OUTLOOK.COM" ones in real messages.</summary>
    public const string DomainController = "EMU01A001DC01.EMUPR01A001.PROD.OUTLOOK.COM";

    public string TypeName { get; }
    public int Status { get; }
    public string Code { get; }

    public ExchangeError(string typeName, string message, int status = 400, string code = "Ex000000") : base(message)
    {
        TypeName = typeName;
        Status = status;
        Code = code;
    }

    public static ExchangeError NotFound(string identity) =>
        new(NotFoundType, $"The operation couldn't be performed because object '{identity}' couldn't be found on '{DomainController}'.", code: "Ex6F9304");

    public static ExchangeError Ambiguous(string identity) =>
        new(AmbiguousType, $"The operation couldn't be performed because '{identity}' matches multiple entries.", code: "ExB7A4B2");

    public static ExchangeError Argument(string message) => new(ArgumentType, message, code: "Ex2B3C4D");

    public JsonObject ToBody() => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = Status switch { 401 => "Unauthorized", 403 => "Forbidden", 404 => "NotFound", 429 => "TooManyRequests", >= 500 => "InternalServerError", _ => "BadRequest" },
            ["message"] = "Invalid Operation",
            ["details"] = new JsonArray(new JsonObject
            {
                ["code"] = "Client",
                ["target"] = "",
                ["message"] = $"{Code}|{TypeName}|{Message}",
            }),
            ["innererror"] = new JsonObject
            {
                ["message"] = "Invalid Operation",
                ["type"] = "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
                ["stacktrace"] = "",
                ["internalexception"] = new JsonObject
                {
                    ["message"] = Message,
                    ["type"] = TypeName,
                    ["stacktrace"] = "",
                },
            },
        },
    };
}

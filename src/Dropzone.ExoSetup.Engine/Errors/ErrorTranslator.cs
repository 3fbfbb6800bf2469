using System;
using System.Linq;
using System.Net.Http;
using Azure.Identity;
using Dropzone.ExoSetup.Engine.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>
    /// The one mapping from what Graph, Azure.Identity and the network throw to the module's
    /// ErrorIds. Graph's own code, message and request-id are kept for support.
    /// </summary>
    public static class ErrorTranslator
    {
        public static DropzoneException Translate(Exception exception, GraphOperation operation)
        {
            switch (exception)
            {
                case DropzoneException known:
                    return known;

                case Exchange.ExchangeCommandException exchange:
                    return DropzoneErrors.ExchangeCommandFailed(exchange);

                case ODataError odata:
                    return FromGraph(odata.ResponseStatusCode, odata.Error?.Code, odata.Error?.Message ?? odata.Message,
                        odata.Error?.InnerError?.RequestId ?? RequestIdOf(odata), operation, odata);

                case ApiException api:
                    return FromGraph(api.ResponseStatusCode, null, api.Message, RequestIdOf(api), operation, api);

                case CredentialUnavailableException unavailable:
                    return new DropzoneException(ErrorIds.SignInFailed, ErrorKind.AuthenticationError,
                        "No sign-in method could get a token: " + unavailable.Message,
                        "Use Connect-DropzoneGraph -UseDeviceCode (it also works in Azure Cloud Shell), or -ClientId/-TenantId with a certificate.",
                        innerException: unavailable);

                case AuthenticationFailedException failed:
                    return new DropzoneException(ErrorIds.SignInFailed, ErrorKind.AuthenticationError,
                        "Sign-in failed: " + failed.Message,
                        "Check the account, tenant and client id, then run Connect-DropzoneGraph again.", innerException: failed);

                case HttpRequestException network:
                    return Unreachable(operation, network.Message, network);

                case OperationCanceledException timeout:
                    return Unreachable(operation, "the request timed out", timeout);

                default:
                    return new DropzoneException(ErrorIds.UnexpectedError, ErrorKind.InvalidOperation,
                        $"Could not {operation.Description}: {exception.Message}",
                        "Run the command again with -Verbose and report the output.", innerException: exception);
            }
        }

        /// <summary>An unsuccessful Graph answer (direct or inside a batch) as a module error.</summary>
        public static DropzoneException FromGraphReply(int status, string code, string message, string requestId, GraphOperation operation) =>
            FromGraph(status, code, message, requestId, operation, null);

        private static DropzoneException FromGraph(int status, string code, string message, string requestId, GraphOperation operation, Exception inner)
        {
            var detail = new GraphErrorDetail(status, code, message, requestId);
            if (status == 401)
            {
                // 401: the token is missing, invalid or expired (concepts/errors.md): sign in again.
                // Only a 403 means a missing permission or role.
                return new DropzoneException(ErrorIds.GraphTokenRejected, ErrorKind.AuthenticationError,
                    $"Microsoft Graph did not accept the token to {operation.Description} ({status} {code}: {message}; request-id {requestId ?? "none"}): it is missing, invalid or expired.",
                    "Run Connect-DropzoneGraph again (a new sign-in), then run the command again.",
                    graphError: detail, innerException: inner);
            }
            if (status == 403)
            {
                return new DropzoneException(ErrorIds.InsufficientPrivileges, ErrorKind.PermissionDenied,
                    $"Microsoft Graph refused to {operation.Description} ({status} {code}: {message}; request-id {requestId ?? "none"}). " +
                    $"This step needs the Graph permission {operation.Permissions}, held by {operation.AdminRoles}.",
                    $"Sign in with an account that has one of these roles: {operation.AdminRoles}; or grant the permission {operation.Permissions} to the signed-in app.",
                    graphError: detail, innerException: inner);
            }
            return new DropzoneException(ErrorIds.GraphRequestFailed, ErrorKind.InvalidOperation,
                $"Microsoft Graph could not {operation.Description}: {status} {code}: {message} (request-id {requestId ?? "none"}).",
                "Check the message above; run with -Verbose to see every Graph request.",
                graphError: detail, innerException: inner);
        }

        private static DropzoneException Unreachable(GraphOperation operation, string reason, Exception inner) =>
            new DropzoneException(ErrorIds.GraphUnreachable, ErrorKind.ConnectionError,
                $"Microsoft Graph could not be reached to {operation.Description}: {reason}",
                "Check the network and the Graph endpoint (Get-DropzoneGraphContext), then try again.", innerException: inner);

        private static string RequestIdOf(ApiException exception) =>
            exception.ResponseHeaders != null && exception.ResponseHeaders.TryGetValue("request-id", out var values)
                ? values.FirstOrDefault()
                : null;
    }
}

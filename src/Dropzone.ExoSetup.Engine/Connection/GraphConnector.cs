using System;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// Signs in and proves the connection with one Graph call before anyone may use it, so a failed
    /// Connect never leaves a half-built context behind.
    /// </summary>
    public static class GraphConnector
    {
        public static async Task<GraphConnection> ConnectAsync(SignInRequest request, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            var root = GraphEndpointPolicy.Validate(request.EffectiveGraphEndpoint);
            var credential = CredentialFactory.Create(request, log);
            var connection = new GraphConnection(credential, root);
            try
            {
                log.Verbose($"Connecting to {root} ({request.Environment.Name} cloud) with {request.Method} sign-in.");
                var organization = await connection.Gateway.GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
                var claims = connection.TokenProvider.LastClaims;
                connection.Context = new GraphContextInfo
                {
                    TenantId = organization.TenantId ?? claims?.TenantId,
                    TenantDisplayName = organization.DisplayName,
                    InitialDomain = organization.InitialDomain,
                    Account = claims?.Account,
                    AppId = claims?.AppId ?? request.ClientId,
                    AuthType = request.Method,
                    Environment = request.Environment.Name,
                    GraphEndpoint = root,
                    ExchangeEnvironmentName = request.Environment.ExchangeEnvironmentName,
                    ConnectedAt = DateTimeOffset.UtcNow,
                };
                log.Verbose($"Connected to tenant {connection.Context.TenantId} ({organization.DisplayName}).");
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }
}

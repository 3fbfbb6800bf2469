using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Identity;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// Signs in, reads the token's claims, and proves the connection with one Graph call before
    /// anyone may use it, so a failed Connect never leaves a half-built context behind.
    /// </summary>
    public static class GraphConnector
    {
        public static async Task<GraphConnection> ConnectAsync(SignInRequest request, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            var root = GraphEndpointPolicy.Validate(request.EffectiveGraphEndpoint);
            var connection = await SignInAsync(request, root, log, cancellationToken).ConfigureAwait(false);
            try
            {
                var claims = connection.Claims;
                RequireTenant(request, claims?.TenantId);
                log.Verbose($"Connecting to {root} ({request.Environment.Name} cloud) with {request.Method} sign-in.");
                var organization = await connection.Gateway.GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
                claims = connection.Claims;
                RequireTenant(request, organization.TenantId);
                connection.Context = new GraphContextInfo
                {
                    TenantId = organization.TenantId ?? claims?.TenantId,
                    TenantDisplayName = organization.DisplayName,
                    InitialDomain = organization.InitialDomain,
                    Account = claims?.Account,
                    AppId = claims?.AppId ?? request.ClientId,
                    Scopes = claims?.Permissions.ToArray(),
                    TokenExpiresOn = claims?.ExpiresOn,
                    AuthType = request.Method,
                    Environment = request.Environment.Name,
                    GraphEndpoint = root,
                    ExchangeEnvironmentName = request.Environment.ExchangeEnvironmentName,
                    ConnectedAt = DateTimeOffset.UtcNow,
                };
                log.Verbose($"Connected to tenant {connection.Context.TenantId} ({organization.DisplayName}) as {connection.Context.Account ?? connection.Context.AppId}; " +
                    $"token permissions: {(claims == null ? "unknown (not a JWT)" : string.Join(" ", claims.Permissions))}.");
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The connection with its first token fetched. With no sign-in parameters the default chain
        /// gives whatever token its source holds (in Cloud Shell: the portal's); when that token
        /// lacks what the steps need, or no source has one, an interactive session continues with
        /// device code, which asks for exactly those scopes.
        /// </summary>
        private static async Task<GraphConnection> SignInAsync(SignInRequest request, Uri root, IOperationLog log, CancellationToken cancellationToken)
        {
            if (request.Method == SignInMethod.DeviceCode)
                return await FirstTokenAsync(new GraphConnection(CredentialFactory.DeviceCode(request, log), root, RequiredPermissions.SignInScopes(root)), cancellationToken).ConfigureAwait(false);

            var connection = new GraphConnection(CredentialFactory.Create(request, log), root);
            if (request.Method != SignInMethod.Default) return await FirstTokenAsync(connection, cancellationToken).ConfigureAwait(false);

            try
            {
                await FirstTokenAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (CredentialUnavailableException unavailable) when (request.Interactive)
            {
                log.Verbose("No sign-in source had a token (" + unavailable.Message + "); continuing with device code.");
                return await FirstTokenAsync(new GraphConnection(CredentialFactory.DeviceCode(request, log), root, RequiredPermissions.SignInScopes(root)), cancellationToken).ConfigureAwait(false);
            }

            var missing = RequiredPermissions.Missing(connection.Claims, RequiredPermissions.AllGraphChanges);
            if (missing.Count == 0) return connection;
            var names = string.Join(", ", missing.Select(m => m.Name));
            if (!request.Interactive)
            {
                log.Warning($"The token this session already had lacks {names}: reading works, but the writing steps will stop with InsufficientPrivileges before writing anything. " +
                    $"Run {RequiredPermissions.DeviceCodeRemedy} in an interactive session to sign in with those permissions.");
                return connection;
            }
            log.Warning($"The token this session already had lacks {names}; signing in with device code to ask for {string.Join(", ", RequiredPermissions.SignInScopeNames)} (an administrator consents on first use).");
            connection.Dispose();
            return await FirstTokenAsync(new GraphConnection(CredentialFactory.DeviceCode(request, log), root, RequiredPermissions.SignInScopes(root)), cancellationToken).ConfigureAwait(false);
        }

        private static async Task<GraphConnection> FirstTokenAsync(GraphConnection connection, CancellationToken cancellationToken)
        {
            try
            {
                // Device code never signs in by itself (DisableAutomaticAuthentication, so that a
                // customer tenant's failing silent token cannot prompt again): this is the one sign-in.
                if (connection.TokenProvider.Credential is DeviceCodeCredential deviceCode)
                    await deviceCode.AuthenticateAsync(new Azure.Core.TokenRequestContext(connection.TokenProvider.Scopes), cancellationToken).ConfigureAwait(false);
                await connection.TokenProvider.ReadClaimsAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The partner's connection to a customer tenant (GUID or initial domain): that tenant's token
        /// for the same account, silently, then its organization read to prove the token is for that
        /// tenant. Consent the customer never gave (AADSTS65001), a tenant that does not exist
        /// (AADSTS90002) and a token of another tenant are errors of that tenant alone.
        /// </summary>
        public static async Task<GraphConnection> ConnectTenantAsync(GraphConnection partner, string tenant, CancellationToken cancellationToken)
        {
            var connection = partner.ForTenant(tenant);
            try
            {
                try
                {
                    await connection.TokenProvider.ReadClaimsAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is AuthenticationFailedException || e is CredentialUnavailableException)
                {
                    throw DropzoneErrors.TenantSignInFailed(tenant, e);
                }
                var organization = await connection.Gateway.GetOrganizationAsync(cancellationToken).ConfigureAwait(false);
                var claims = connection.Claims;
                var matches = Guid.TryParse(tenant, out var id)
                    ? Guid.TryParse(organization.TenantId, out var actual) && actual == id
                    : string.Equals(organization.InitialDomain, tenant, StringComparison.OrdinalIgnoreCase);
                if (!matches || (claims?.TenantId != null && !string.Equals(claims.TenantId, organization.TenantId, StringComparison.OrdinalIgnoreCase)))
                    throw DropzoneErrors.TenantTokenMismatch(tenant, claims?.TenantId ?? organization.TenantId);
                connection.Context = (partner.Context ?? new GraphContextInfo { AuthType = SignInMethod.DeviceCode, GraphEndpoint = partner.GraphRoot }).InTenant(organization, claims);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        /// <summary>-TenantId (a GUID) that is not the token's tenant: TenantMismatch, before the token is used.</summary>
        private static void RequireTenant(SignInRequest request, string actual)
        {
            if (string.IsNullOrEmpty(actual) || !Guid.TryParse(request.TenantId, out var expected)) return;
            if (Guid.TryParse(actual, out var tenant) && tenant == expected) return;
            throw DropzoneErrors.TenantMismatch(actual, request.TenantId);
        }
    }
}

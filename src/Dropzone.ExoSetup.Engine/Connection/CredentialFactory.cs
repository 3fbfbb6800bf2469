using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Planning;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>Turns a <see cref="SignInRequest"/> into the Azure.Identity credential for it.</summary>
    internal static class CredentialFactory
    {
        public static TokenCredential Create(SignInRequest request, IOperationLog log)
        {
            switch (request.Method)
            {
                case SignInMethod.AccessToken:
                    if (request.AccessToken == null || request.AccessToken.Length == 0)
                        throw DropzoneErrors.InvalidSignInParameters("-AccessToken is empty.");
                    return new AccessTokenCredential(request.AccessToken);

                case SignInMethod.ManagedIdentity:
                    return ManagedIdentity(request.ClientId);

                case SignInMethod.DeviceCode:
                    return DeviceCode(request, log);

                case SignInMethod.ClientCertificate:
                    return ClientCertificate(request);

                default:
                    return DefaultChain(request, log);
            }
        }

        /// <summary>
        /// Cloud Shell's token endpoint, Azure CLI, Azure PowerShell: in Cloud Shell all three yield
        /// the token the portal obtained, so its scopes are not the module's to choose (the
        /// connector checks them and may continue with device code). A source whose endpoint
        /// answers an error falls through to the next.
        /// </summary>
        private static TokenCredential DefaultChain(SignInRequest request, IOperationLog log)
        {
            var authority = request.Environment.AuthorityHost;
            var sources = new List<TokenCredential>();
            // Only where a managed identity endpoint is advertised (Cloud Shell sets MSI_ENDPOINT):
            // elsewhere the credential would probe the instance metadata address for nothing.
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MSI_ENDPOINT"))
                || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("IDENTITY_ENDPOINT")))
            {
                sources.Add(new FallThroughCredential(ManagedIdentity(null), CloudShell.IsPresent ? "Azure Cloud Shell (MSI_ENDPOINT)" : "Managed identity"));
            }
            sources.Add(new FallThroughCredential(new AzureCliCredential(new AzureCliCredentialOptions { AuthorityHost = authority, TenantId = request.TenantId }), "Azure CLI"));
            sources.Add(new FallThroughCredential(new AzurePowerShellCredential(new AzurePowerShellCredentialOptions { AuthorityHost = authority, TenantId = request.TenantId }), "Azure PowerShell"));
            log.Verbose("Signing in with: " + string.Join(", ", sources) + ".");
            return new ChainedTokenCredential(sources.ToArray());
        }

        private static TokenCredential ManagedIdentity(string clientId)
        {
            // MSAL refuses a user-assigned identity in Cloud Shell only when asked for a token
            // (CloudShellManagedIdentitySource): say so before anything is sent.
            if (!string.IsNullOrEmpty(clientId) && CloudShell.IsPresent)
                throw DropzoneErrors.InvalidSignInParameters($"Azure Cloud Shell has no user-assigned managed identities (-ClientId {clientId}): its token endpoint serves only the signed-in user's token. " +
                    "Run Connect-DropzoneGraph without parameters (Cloud Shell's sign-in), or Connect-DropzoneGraph -UseDeviceCode.");
            return new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        /// <summary>Device code sign-in, for the caller to ask for <see cref="RequiredPermissions.SignInScopes"/>.</summary>
        internal static TokenCredential DeviceCode(SignInRequest request, IOperationLog log) => new DeviceCodeCredential(DeviceCodeOptions(request, log));

        /// <summary>
        /// Microsoft Graph Command Line Tools' public client (what Graph PowerShell signs in with),
        /// not Azure.Identity's default, Azure CLI's app, which Azure SDK maintainers say is not for
        /// third-party tools; -ClientId puts the organisation's own app in its place.
        /// </summary>
        internal static DeviceCodeCredentialOptions DeviceCodeOptions(SignInRequest request, IOperationLog log)
        {
            var authority = request.AuthorityHost ?? request.Environment.AuthorityHost;
            var options = new DeviceCodeCredentialOptions
            {
                AuthorityHost = authority,
                // Instance discovery asks Microsoft's cloud about the authority: only for its own hosts.
                DisableInstanceDiscovery = request.AuthorityHost != null && !CloudEnvironment.IsKnownAuthority(authority),
                // One sign-in, then each customer tenant's token silently (MSAL's refresh token at that
                // tenant's authority); a tenant whose silent token fails (AADSTS65001: the customer never
                // consented) must fail, not prompt again and hand back the partner's own tenant's token.
                DisableAutomaticAuthentication = true,
                ClientId = string.IsNullOrEmpty(request.ClientId) ? RequiredPermissions.GraphCommandLineToolsClientId : request.ClientId,
                DeviceCodeCallback = (code, cancellationToken) =>
                {
                    // The message says where to go and which code to type; it is not a secret.
                    log.Warning(code.Message);
                    return Task.CompletedTask;
                },
            };
            if (!string.IsNullOrEmpty(request.TenantId)) options.TenantId = request.TenantId;
            options.AdditionallyAllowedTenants.Add("*");
            return options;
        }

        private static TokenCredential ClientCertificate(SignInRequest request)
        {
            if (string.IsNullOrEmpty(request.ClientId) || string.IsNullOrEmpty(request.TenantId))
                throw DropzoneErrors.InvalidSignInParameters("Certificate sign-in needs both -ClientId and -TenantId.");
            var options = new ClientCertificateCredentialOptions { AuthorityHost = request.Environment.AuthorityHost };

            if (request.Certificate != null)
            {
                if (!request.Certificate.HasPrivateKey)
                    throw DropzoneErrors.SignInCertificateWithoutPrivateKey(request.Certificate.Thumbprint);
                return new ClientCertificateCredential(request.TenantId, request.ClientId, request.Certificate, options);
            }
            if (!string.IsNullOrEmpty(request.CertificatePath))
            {
                if (!File.Exists(request.CertificatePath))
                    throw DropzoneErrors.SignInCertificateFileNotFound(request.CertificatePath);
                if (request.CertificatePassword != null)
                {
                    var certificate = LoadPfx(request.CertificatePath, request.CertificatePassword);
                    return new ClientCertificateCredential(request.TenantId, request.ClientId, certificate, options);
                }
                // Azure.Identity reads PFX (without password) and PEM files with their key itself.
                return new ClientCertificateCredential(request.TenantId, request.ClientId, request.CertificatePath, options);
            }
            if (!string.IsNullOrEmpty(request.CertificateThumbprint))
                return new ClientCertificateCredential(request.TenantId, request.ClientId, FromStore(request.CertificateThumbprint), options);

            throw DropzoneErrors.InvalidSignInParameters("Certificate sign-in needs -CertificateThumbprint, -Certificate or -CertificatePath.");
        }

        private static X509Certificate2 LoadPfx(string path, System.Security.SecureString password)
        {
            try
            {
                return new X509Certificate2(path, password, X509KeyStorageFlags.DefaultKeySet);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw DropzoneErrors.SignInCertificateUnreadable(path, e);
            }
        }

        private static X509Certificate2 FromStore(string thumbprint)
        {
            var wanted = thumbprint.Replace(" ", string.Empty);
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                try
                {
                    using (var store = new X509Store(StoreName.My, location))
                    {
                        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                        var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
                        foreach (var certificate in found)
                            if (certificate.HasPrivateKey) return certificate;
                    }
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    // A store that does not exist on this platform (LocalMachine on Linux): look in the next.
                }
            }
            throw DropzoneErrors.CertificateNotFoundInStore(wanted);
        }
    }
}

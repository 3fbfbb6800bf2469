using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Dropzone.ExoSetup.Engine.Connection;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Cmdlets
{
    /// <summary>
    /// Connect-DropzoneGraph: signs in to Microsoft Graph for this PowerShell session. One parameter
    /// set per way of signing in; the connection is proven with one Graph call before it is kept.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "DropzoneGraph", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(GraphContext))]
    public sealed class ConnectDropzoneGraph : DropzoneCmdlet
    {
        private const string DefaultSet = "Default";
        private const string DeviceCodeSet = "DeviceCode";
        private const string IdentitySet = "ManagedIdentity";
        private const string ThumbprintSet = "CertificateThumbprint";
        private const string CertificateSet = "Certificate";
        private const string CertificatePathSet = "CertificatePath";
        private const string AccessTokenSet = "AccessToken";

        [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
        public SwitchParameter UseDeviceCode { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
        [Alias("ManagedIdentity")]
        public SwitchParameter Identity { get; set; }

        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(ParameterSetName = IdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [Alias("AppId", "ApplicationId")]
        [ValidateNotNullOrEmpty]
        public string ClientId { get; set; }

        [Parameter(ParameterSetName = DefaultSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(ParameterSetName = IdentitySet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [Alias("Tenant")]
        [ValidateNotNullOrEmpty]
        public string TenantId { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [ValidateNotNullOrEmpty]
        public string CertificateThumbprint { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        [ValidateNotNull]
        public X509Certificate2 Certificate { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [ValidateNotNullOrEmpty]
        public string CertificatePath { get; set; }

        [Parameter(ParameterSetName = CertificatePathSet)]
        public SecureString CertificatePassword { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString AccessToken { get; set; }

        [Parameter]
        public GraphEnvironment Environment { get; set; } = GraphEnvironment.Global;

        [Parameter]
        [ValidateNotNull]
        public Uri GraphEndpoint { get; set; }

        /// <summary>Device code only: the sign-in authority in place of the -Environment's (https; a private cloud, or the test emulator).</summary>
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [ValidateNotNull]
        public Uri AuthorityHost { get; set; }

        protected override bool FailuresAreTerminating => true;

        protected override void ProcessRecordCore()
        {
            var request = new SignInRequest
            {
                Method = MethodOf(ParameterSetName),
                ClientId = ClientId,
                TenantId = TenantId,
                CertificateThumbprint = CertificateThumbprint,
                Certificate = Certificate,
                CertificatePath = CertificatePath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath),
                CertificatePassword = CertificatePassword,
                AccessToken = AccessToken,
                Environment = CloudEnvironment.FromName(Environment.ToString()),
                GraphEndpoint = GraphEndpoint,
                AuthorityHost = AuthorityHost,
                Interactive = IsInteractive(),
            };
            // In Azure Cloud Shell, ACC_TID and ACC_CLOUD stand in for -TenantId and -Environment.
            CloudShell.ApplyDefaults(request, MyInvocation.BoundParameters.ContainsKey(nameof(Environment)));
            if (AuthorityHost != null && (!AuthorityHost.IsAbsoluteUri || AuthorityHost.Scheme != Uri.UriSchemeHttps))
                throw DropzoneErrors.InvalidSignInParameters($"-AuthorityHost must be an https address: '{AuthorityHost}'.");
            var connection = Run(cancel => GraphConnector.ConnectAsync(request, cancel));
            // Only a proven connection replaces the session's: a failure above leaves it as it was.
            GraphSessions.Set(connection);
            WriteObject(GraphContext.From(connection.Context));
        }

        private static SignInMethod MethodOf(string parameterSet)
        {
            switch (parameterSet)
            {
                case DeviceCodeSet: return SignInMethod.DeviceCode;
                case IdentitySet: return SignInMethod.ManagedIdentity;
                case ThumbprintSet:
                case CertificateSet:
                case CertificatePathSet: return SignInMethod.ClientCertificate;
                case AccessTokenSet: return SignInMethod.AccessToken;
                default: return SignInMethod.Default;
            }
        }

        private static bool IsInteractive()
        {
            try
            {
                return System.Environment.UserInteractive && !Console.IsInputRedirected;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}

using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>How the caller wants to sign in. One value per parameter set of Connect-DropzoneGraph.</summary>
    public enum SignInMethod
    {
        /// <summary>Cloud Shell's managed identity endpoint, Azure CLI, Azure PowerShell, then device code when interactive.</summary>
        Default,
        DeviceCode,
        ManagedIdentity,
        ClientCertificate,
        AccessToken,
    }

    /// <summary>Everything Connect needs, already bound from the cmdlet's parameters.</summary>
    public sealed class SignInRequest
    {
        public SignInMethod Method { get; set; }
        public string ClientId { get; set; }
        public string TenantId { get; set; }
        public string CertificateThumbprint { get; set; }
        public X509Certificate2 Certificate { get; set; }
        public string CertificatePath { get; set; }
        public SecureString CertificatePassword { get; set; }
        public SecureString AccessToken { get; set; }
        public CloudEnvironment Environment { get; set; } = CloudEnvironment.Global;

        /// <summary>Overrides the environment's Graph root (tests and the demo use the emulator).</summary>
        public Uri GraphEndpoint { get; set; }

        /// <summary>Overrides the environment's sign-in authority for device code (https only; tests use the emulator's).</summary>
        public Uri AuthorityHost { get; set; }

        /// <summary>True when a person can read a device code and act on it.</summary>
        public bool Interactive { get; set; }

        /// <summary>The Graph root in force: the override when given, else the environment's.</summary>
        public Uri EffectiveGraphEndpoint => GraphEndpoint ?? Environment.GraphEndpoint;
    }
}

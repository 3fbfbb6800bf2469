using System;
using System.Net;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup.Engine.Connection
{
    /// <summary>
    /// Decides whether a Graph root may receive the caller's token. Plain http would hand a bearer
    /// token to anyone on the path, so it is allowed only for this machine (the tenant emulator).
    /// </summary>
    public static class GraphEndpointPolicy
    {
        /// <summary>Returns the root to use (no trailing slash, no version) or throws a DropzoneException.</summary>
        public static Uri Validate(Uri endpoint)
        {
            if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
                throw DropzoneErrors.InvalidGraphEndpoint(endpoint, "it is not an absolute http(s) address");
            if (endpoint.AbsolutePath.Trim('/').Length != 0 || endpoint.Query.Length != 0 || endpoint.Fragment.Length != 0)
                throw DropzoneErrors.InvalidGraphEndpoint(endpoint, "give the root without a version or path, e.g. https://graph.microsoft.us; the module adds /v1.0");
            if (!string.IsNullOrEmpty(endpoint.UserInfo))
                throw DropzoneErrors.InvalidGraphEndpoint(endpoint, "it must not carry user information");
            if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
                throw DropzoneErrors.InsecureEndpoint(endpoint);
            return new Uri(endpoint.GetLeftPart(UriPartial.Authority));
        }

        public static bool IsLoopback(Uri endpoint)
        {
            if (endpoint.IsLoopback) return true;
            var host = endpoint.Host.Trim('[', ']');
            return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        }
    }
}

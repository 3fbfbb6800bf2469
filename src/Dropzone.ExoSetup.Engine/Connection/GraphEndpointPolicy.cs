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
                throw Invalid(endpoint, "it is not an absolute http(s) address");
            if (endpoint.AbsolutePath.Trim('/').Length != 0 || endpoint.Query.Length != 0 || endpoint.Fragment.Length != 0)
                throw Invalid(endpoint, "give the root without a version or path, e.g. https://graph.microsoft.us; the module adds /v1.0");
            if (!string.IsNullOrEmpty(endpoint.UserInfo))
                throw Invalid(endpoint, "it must not carry user information");
            if (endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
                throw new DropzoneException(ErrorIds.InsecureEndpoint, ErrorKind.SecurityError,
                    $"The Graph endpoint '{endpoint}' uses plain http. A token would travel unencrypted, so http is accepted only for this machine (127.0.0.0/8, ::1, localhost).",
                    "Use https, or a loopback address for a local emulator.", endpoint);
            return new Uri(endpoint.GetLeftPart(UriPartial.Authority));
        }

        public static bool IsLoopback(Uri endpoint)
        {
            if (endpoint.IsLoopback) return true;
            var host = endpoint.Host.Trim('[', ']');
            return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        }

        private static DropzoneException Invalid(Uri endpoint, string why) =>
            new DropzoneException(ErrorIds.InvalidGraphEndpoint, ErrorKind.InvalidArgument,
                $"The Graph endpoint '{endpoint}' cannot be used: {why}.",
                "Pass -GraphEndpoint as the root of the Graph service, e.g. https://graph.microsoft.us, or leave it out and pick -Environment.", endpoint);
    }
}

using Microsoft.Kiota.Abstractions;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>One Graph request the gateway will send, alone or inside a JSON batch.</summary>
    internal sealed class GraphCall
    {
        public GraphCall(string id, RequestInformation request, GraphOperation operation)
        {
            Id = id;
            Request = request;
            Operation = operation;
        }

        /// <summary>The batch step id; also how the caller finds the reply.</summary>
        public string Id { get; }

        public RequestInformation Request { get; }

        /// <summary>What the call is for: named in errors, with the permissions it needs.</summary>
        public GraphOperation Operation { get; }

        /// <summary>
        /// May be sent again after a dropped connection or a 503/504 (every read, and every write whose
        /// resend answers "already so"); false for a write that would make a second object
        /// (addPassword): the gateway then resends it only after a 429, when Graph made nothing.
        /// </summary>
        public bool Resendable { get; set; } = true;

        private byte[] _body;

        /// <summary>
        /// Gives the request a fresh copy of its body: sending reads the body and disposes it with
        /// the HTTP message, and a resend (after throttling or a dropped connection) must send it
        /// whole again.
        /// </summary>
        public void Rewind()
        {
            // No body (Stream.Null, as the SDK leaves GET and DELETE): nothing to renew.
            if (_body == null && (Request.Content == null || Request.Content == System.IO.Stream.Null)) return;
            if (_body == null)
            {
                using (var copy = new System.IO.MemoryStream())
                {
                    if (Request.Content.CanSeek) Request.Content.Position = 0;
                    Request.Content.CopyTo(copy);
                    _body = copy.ToArray();
                }
            }
            Request.Content = new System.IO.MemoryStream(_body, writable: false);
        }

        public string Label => $"{Request.HttpMethod.ToString().ToUpperInvariant()} {Request.URI.PathAndQuery}";
    }
}

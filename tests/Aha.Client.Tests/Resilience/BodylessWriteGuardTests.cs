using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Aha.Client.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Aha.Client.Tests.Resilience
{
    /// <summary>
    /// A body-less POST reaches the transport with an empty body, so SocketsHttpHandler cannot silently re-send it on a
    /// reused connection (dotnet/runtime#86714); GETs are left alone.
    /// </summary>
    public class BodylessWriteGuardTests
    {
        [Test]
        public async Task A_POST_without_content_is_sent_with_an_empty_body_and_a_GET_without_one()
        {
            byte[]? postBody = null;
            long? postLength = -1;
            var getHadContent = true;
            var mock = new MockHttpMessageHandler();
            mock.When(HttpMethod.Post, "*").Respond(async req =>
            {
                postBody = req.Content is null ? null : await req.Content.ReadAsByteArrayAsync();
                postLength = req.Content?.Headers.ContentLength;
                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            mock.When(HttpMethod.Get, "*").Respond(req =>
            {
                getHadContent = req.Content is not null;
                return TestClients.Json(HttpStatusCode.OK, "{}");
            });
            var aha = TestClients.Create(new TestClock(), mock);

            using (var request = new HttpRequestMessage(HttpMethod.Post, "releases/PRJ1-R-1/duplicate"))
            using (await aha.HttpClient.SendAsync(request))
            {
            }

            using (await aha.HttpClient.GetAsync("features"))
            {
            }

            Assert.That(postBody, Is.Not.Null.And.Empty, "the POST got an empty body");
            Assert.That(postLength, Is.EqualTo(0));
            Assert.That(getHadContent, Is.False, "a GET stays body-less");
        }
    }
}

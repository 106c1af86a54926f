using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Aha.Sandbox.Tests.Infrastructure;

namespace Aha.Sandbox.Tests
{
    /// <summary>
    /// The spec-driven layer on a spec whose operations no hand-written route serves: state across paths, pagination,
    /// the documented example for actions, seeded examples, audits and the recycle bin for its writes.
    /// </summary>
    [TestFixture]
    public class GenericRouteTests
    {
        private const string Spec = @"
openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /gadgets:
    get:
      operationId: Gadgets_List
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/GadgetList' }
              example:
                gadgets:
                - { id: '6776757454440690001', name: Seeded gadget, size: 3, tags: [red], note: { id: '11', body: '<p>hi</p>' }, feature_id: '6776757454440696808' }
                pagination: { total_records: 1, total_pages: 1, current_page: 1 }
  /gadgets/{id}:
    get:
      operationId: Gadgets_Get
      parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/GadgetResponse' } } } }
    put:
      operationId: Gadgets_Update
      parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/GadgetWrite' } } } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/GadgetResponse' } } } }
    delete:
      operationId: Gadgets_Delete
      parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
      responses:
        '204': { description: gone }
  /features/{feature_id}/gadgets:
    get:
      operationId: Gadgets_ListByFeature
      parameters: [ { name: feature_id, in: path, required: true, schema: { type: string } } ]
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/GadgetList' } } } }
    post:
      operationId: Gadgets_CreateByFeature
      parameters: [ { name: feature_id, in: path, required: true, schema: { type: string } } ]
      requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/GadgetWrite' } } } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/GadgetResponse' }
              example:
                gadget: { id: '6776757454440690002', name: Example gadget, size: 1, tags: [], note: { id: '12', body: '' }, feature_id: '1' }
  /gadgets/{id}/spin:
    post:
      operationId: Gadgets_Spin
      parameters: [ { name: id, in: path, required: true, schema: { type: string } } ]
      responses:
        '200': { description: ok, content: { application/json: { example: { spinning: true } } } }
components:
  schemas:
    Gadget:
      type: object
      properties:
        id: { type: string }
        name: { type: string }
        size: { type: integer }
        tags: { type: array, items: { type: string } }
        note: { type: object, properties: { id: { type: string }, body: { type: string } } }
    GadgetList:
      type: object
      properties:
        gadgets: { type: array, items: { $ref: '#/components/schemas/Gadget' } }
        pagination: { type: object }
    GadgetResponse:
      type: object
      properties:
        gadget: { $ref: '#/components/schemas/Gadget' }
    GadgetWrite:
      type: object
      properties:
        gadget: { type: object, properties: { name: { type: string }, size: { type: integer } } }
";

        private string _path = null!;

        [OneTimeSetUp]
        public void WriteSpec()
        {
            _path = Path.Combine(Path.GetTempPath(), "aha-sandbox-generic-" + Guid.NewGuid().ToString("N") + ".yaml");
            File.WriteAllText(_path, Spec);
        }

        [OneTimeTearDown]
        public void DeleteSpec() => File.Delete(_path);

        [Test]
        public async Task A_record_created_under_its_parent_is_read_updated_listed_and_deleted_through_the_other_paths()
        {
            await using var sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = _path);
            using var http = sandbox.CreateHttpClient();
            Assert.That(sandbox.Routes, Does.Contain("POST /api/v1/features/{feature_id}/gadgets"));

            var seeded = sandbox.Count("gadgets");
            Assert.That(seeded, Is.EqualTo(2), "the examples of the list and of the create");
            var features = await http.GetObjectAsync("features?per_page=2");
            var feature = features["features"]![0]!["reference_num"].Str();

            using var post = await http.PostAsync($"features/{feature}/gadgets", Sandboxes.Json("{\"gadget\": {\"name\": \"Sprocket\", \"size\": 7, \"tags\": \"a, b\", \"note\": \"<p>Spec</p>\"}}"));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.OK), await post.Content.ReadAsStringAsync());
            var created = (await post.ReadObjectAsync())["gadget"]!;
            var id = created["id"].Str();
            Assert.That(created["name"].Str(), Is.EqualTo("Sprocket"));
            Assert.That(created["tags"]!.AsArray().Select(t => t.Str()), Is.EqualTo(new[] { "a", "b" }), "a comma-separated string goes into the list shape of the example");
            Assert.That(created["note"]!["body"].Str(), Is.EqualTo("<p>Spec</p>"), "a string goes into the body of the documented note object");
            Assert.That(created["created_at"], Is.Not.Null);
            Assert.That(created["resource"].Str(), Does.EndWith("/api/v1/gadgets/" + id));

            var read = (await http.GetObjectAsync("gadgets/" + id))["gadget"]!;
            Assert.That(read["size"]!.GetValue<int>(), Is.EqualTo(7));

            var underFeature = await http.GetObjectAsync($"features/{feature}/gadgets");
            Assert.That(underFeature["gadgets"]!.AsArray().Select(g => g!["id"].Str()), Is.EqualTo(new[] { id }));
            Assert.That(underFeature["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(1));

            using var put = await http.PutAsync("gadgets/" + id, Sandboxes.Json("{\"gadget\": {\"size\": 9}}"));
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var updated = (await http.GetObjectAsync("gadgets/" + id))["gadget"]!;
            Assert.That(updated["size"]!.GetValue<int>(), Is.EqualTo(9));
            Assert.That(updated["name"].Str(), Is.EqualTo("Sprocket"), "a PUT merges");

            var all = await http.GetObjectAsync("gadgets?per_page=1&page=2");
            Assert.That(all["pagination"]!["total_records"]!.GetValue<int>(), Is.EqualTo(seeded + 1), "the seeded examples and the created one");
            Assert.That(all["gadgets"]!.AsArray(), Has.Count.EqualTo(1));

            using var spin = await http.PostAsync($"gadgets/{id}/spin", null);
            Assert.That((await spin.ReadObjectAsync())["spinning"]!.GetValue<bool>(), Is.True, "an action answers its documented example");

            using var delete = await http.DeleteAsync("gadgets/" + id);
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            using var gone = await http.GetAsync("gadgets/" + id);
            Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

            var audits = (await http.GetObjectAsync("audits?auditable_type=gadget"))["audits"]!.AsArray();
            Assert.That(audits.Select(a => a!["audit_action"].Str()), Is.EqualTo(new[] { "create", "update", "destroy" }));
            Assert.That(audits[1]!["changes"]!.AsArray().Select(c => (c!["field_name"].Str(), c["value"].Str())), Is.EqualTo(new[] { ("Size", "9") }), "only the changed field, its value as text");

            var deletion = (await http.GetObjectAsync("deletions"))["deletions"]![0]!;
            using var restore = await http.PostAsync($"deletions/{deletion["id"].Str()}/restore", null);
            Assert.That(restore.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await http.GetObjectAsync("gadgets/" + id))["gadget"]!["size"]!.GetValue<int>(), Is.EqualTo(9));
        }

        [Test]
        public async Task Seeded_examples_are_listed_and_unknown_routes_stay_404()
        {
            await using var sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = _path);
            using var http = sandbox.CreateHttpClient();
            var seeded = (await http.GetObjectAsync("gadgets/6776757454440690001"))["gadget"]!;
            Assert.That(seeded["name"].Str(), Is.EqualTo("Seeded gadget"));
            Assert.That(sandbox.Count("gadgets"), Is.EqualTo(2));

            using var unknown = await http.GetAsync("gizmos");
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            using var missing = await http.GetAsync("gadgets/404404");
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            using var noParent = await http.GetAsync("features/NOPE-1/gadgets");
            Assert.That(noParent.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }

        [Test]
        public async Task A_create_without_the_wrapper_is_a_400_and_stores_nothing()
        {
            await using var sandbox = await Sandboxes.SmallAsync(o => o.SpecPath = _path);
            using var http = sandbox.CreateHttpClient();
            var feature = (await http.GetObjectAsync("features?per_page=1"))["features"]![0]!["reference_num"].Str();
            using var post = await http.PostAsync($"features/{feature}/gadgets", Sandboxes.Json("{\"name\": \"Loose\"}"));
            Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await post.Content.ReadAsStringAsync(), Does.Contain("\\u0022gadget\\u0022").Or.Contain("\"gadget\""));
            Assert.That(sandbox.Count("gadgets"), Is.EqualTo(2));
            Assert.That(sandbox.Audits(), Is.Empty);
        }
    }
}

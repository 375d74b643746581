// Test-only: a tiny Connect service built at runtime from a FileDescriptorProto, so the runtime's
// tests need neither codegen nor the generated API package.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import type { DescService } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { FileDescriptorProtoSchema, file_google_protobuf_wrappers } from "@bufbuild/protobuf/wkt";
import type { StringValueSchema } from "@bufbuild/protobuf/wkt";

const file = create(FileDescriptorProtoSchema, {
  name: "spreadops/testing/v1/echo.proto",
  package: "spreadops.testing.v1",
  dependency: ["google/protobuf/wrappers.proto"],
  syntax: "proto3",
  service: [
    {
      name: "EchoService",
      method: [
        { name: "Echo", inputType: ".google.protobuf.StringValue", outputType: ".google.protobuf.StringValue" },
        {
          name: "Split",
          inputType: ".google.protobuf.StringValue",
          outputType: ".google.protobuf.StringValue",
          serverStreaming: true,
        },
      ],
    },
  ],
});

const registry = createFileRegistry(file, (name) =>
  name === "google/protobuf/wrappers.proto" ? file_google_protobuf_wrappers : undefined,
);

const service: DescService | undefined = registry.getService("spreadops.testing.v1.EchoService");
if (service === undefined) throw new Error("EchoService missing from its own descriptor");

/**
 * `spreadops.testing.v1.EchoService`: `Echo` (unary) and `Split` (server streaming), both over
 * `google.protobuf.StringValue`. What they do is up to each test's implementation.
 */
export const EchoService = service as GenService<{
  echo: { methodKind: "unary"; input: typeof StringValueSchema; output: typeof StringValueSchema };
  split: { methodKind: "server_streaming"; input: typeof StringValueSchema; output: typeof StringValueSchema };
}>;

import { describe, expect, it } from "vitest";
import { getEnv } from "../../env.ts";
import { offsiteRemoteProblem, redactRcloneText, redactRemote, remoteFile } from "./offsite-remote.ts";

describe("WIMM_OFFSITE_REMOTE", () => {
  it.each([
    "nas:wimm",
    "nas:",
    "my nas.2:backups/wimm",
    ":local:/mnt/nas/wimm",
    ":sftp,host=127.0.0.1,port=2222,user=root,key_file=/root/.ssh/id:backups",
    ":webdav,url='http://127.0.0.1:8080':wimm",
    ':webdav,url="http://h:1",pass="a""b":x',
    "b2,hard_delete:bucket/wimm",
  ])("reads %s as rclone would", (remote) => {
    expect(offsiteRemoteProblem(remote)).toBeNull();
  });

  it.each([
    ["/mnt/nas/wimm", /:local:/],
    ["-config:x", /option/],
    [":sft p:x", /backend/],
    [":sftp,host=x", /name:path/],
    [":webdav,url='http://h:1:x", /closing quote/],
    ["nas:wimm\n--delete", /control/],
    [":sftp,ho st=x:y", /parameter/],
  ])("refuses %j", (remote, why) => {
    expect(offsiteRemoteProblem(remote)).toMatch(why);
  });

  it("joins names to the remote's folder", () => {
    expect(remoteFile("nas:", "a.dump")).toBe("nas:a.dump");
    expect(remoteFile("nas:wimm", "a.dump")).toBe("nas:wimm/a.dump");
    expect(remoteFile(":local:/x/", ".catalogue", "a.json")).toBe(":local:/x/.catalogue/a.json");
  });

  it("shows hosts, users and paths, never a password, key or token", () => {
    expect(redactRemote(":sftp,host=h,user=u,pass=S3cretPass,key_file=/k:p")).toBe(
      ":sftp,host=h,user=u,pass=[redacted],key_file=/k:p",
    );
    expect(redactRemote(":s3,provider=AWS,access_key_id=AKIAXX,secret_access_key=abcdSECRET:bucket")).toBe(
      ":s3,provider=AWS,access_key_id=[redacted],secret_access_key=[redacted]:bucket",
    );
    expect(redactRemote(":webdav,url='https://bob:hunter22@dav.example/x':w")).toBe(
      ":webdav,url='https://bob:[redacted]@dav.example/x':w",
    );
    expect(redactRemote("nas:wimm")).toBe("nas:wimm");
    const remote = ":sftp,host=h,pass='p,w:d!':x";
    const said = redactRcloneText(`Failed to copyto ${remote}/f: auth with p,w:d! refused`, remote);
    expect(said).not.toContain("p,w:d!");
    expect(said).toContain("host=h");
  });

  it("is validated at start without quoting the remote", () => {
    const envOf = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;
    expect(() => getEnv(envOf({ WIMM_OFFSITE_REMOTE: "/secret-path-token" }))).toThrow(/WIMM_OFFSITE_REMOTE/);
    expect(() => getEnv(envOf({ WIMM_OFFSITE_REMOTE: "/secret-path-token" }))).not.toThrow(/secret-path-token/);
    expect(getEnv(envOf({ WIMM_OFFSITE_REMOTE: " nas:wimm " })).WIMM_OFFSITE_REMOTE).toBe("nas:wimm");
    expect(getEnv(envOf({})).WIMM_OFFSITE_TIMEOUT_S).toBe(600);
  });
});

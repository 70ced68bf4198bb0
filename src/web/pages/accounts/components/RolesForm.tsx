import { Alert, Checkbox, Form, Modal } from "antd";
import { useEffect, useState } from "react";
import type { User } from "../../../../server/modules/users/schema.js";
import type { Role } from "../../../access";
import { problemAtField } from "../../../components/form-problem";
import { modalRoot } from "../../../components/modal-root";
import { useLocale } from "../../../locales";
import type { Problem } from "../../../services/http";
import { useSetRoles } from "../../../services/users";

const adminRoles: Role[] = ["system_admin", "security_admin", "audit_admin"];
const businessRoles: Role[] = ["office_staff", "reviewer", "unit_reporter", "unit_leader"];

/**
 * The security administrator sets an account's roles. Separation of duties is the server's rule (and
 * the database's): a refused combination comes back with its reason, shown at the roles.
 */
export function RolesForm({ user, onClose }: { user: User | undefined; onClose(saved: boolean): void }) {
  const { t } = useLocale();
  const [form] = Form.useForm<{ roles: Role[] }>();
  const setRoles = useSetRoles();
  const [problem, setProblem] = useState<Problem>();
  useEffect(() => {
    if (!user) return;
    setProblem(undefined);
    form.setFieldsValue({ roles: user.roles });
  }, [user, form]);

  return (
    <Modal
      getContainer={modalRoot}
      open={Boolean(user)}
      title={user ? t("accounts.roles.title", { name: `${user.displayName}（${user.username}）` }) : ""}
      okText={t("accounts.save")}
      cancelText={t("accounts.cancel")}
      confirmLoading={setRoles.isPending}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {problem ? (
        <Alert type="error" showIcon title={problem.title} role="alert" className="form-alert" />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={({ roles }) => {
          if (!user) return;
          setProblem(undefined);
          setRoles.mutate(
            { id: user.id, roles: roles ?? [] },
            {
              onSuccess: () => onClose(true),
              onError: (e) => setProblem(problemAtField(form, e, ["roles"])),
            },
          );
        }}
      >
        <Form.Item name="roles" label={t("accounts.roles.field")}>
          <Checkbox.Group className="roles-group">
            <fieldset className="roles-fieldset">
              <legend>{t("accounts.roles.admin")}</legend>
              {adminRoles.map((r) => (
                <Checkbox key={r} value={r}>
                  {t(`role.${r}`)}
                </Checkbox>
              ))}
            </fieldset>
            <fieldset className="roles-fieldset">
              <legend>{t("accounts.roles.business")}</legend>
              {businessRoles.map((r) => (
                <Checkbox key={r} value={r}>
                  {t(`role.${r}`)}
                </Checkbox>
              ))}
            </fieldset>
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}

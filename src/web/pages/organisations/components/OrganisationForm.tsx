import { Alert, Form, Input, Modal, Select } from "antd";
import { useEffect, useState } from "react";
import type { Organisation, OrganisationKind } from "../../../../server/modules/organisations/schema.js";
import { problemAtField } from "../../../components/form-problem";
import { modalRoot } from "../../../components/modal-root";
import { useLocale } from "../../../locales";
import type { Problem } from "../../../services/http";
import { useCreateOrganisation, useUpdateOrganisation } from "../../../services/organisations";

interface Fields {
  code: string;
  name: string;
  nameEn?: string;
  kind: OrganisationKind;
  parentCode?: string;
}
const kinds: OrganisationKind[] = ["city", "district", "department", "office"];
const fieldNames = ["code", "name", "nameEn", "kind", "parentCode"] as const;

/** Creating a unit, or editing one (`editing`); the server's refusal shown at the field it names. */
export function OrganisationForm({
  open,
  editing,
  all,
  onClose,
}: {
  open: boolean;
  editing: Organisation | undefined;
  all: readonly Organisation[];
  onClose(saved: boolean): void;
}) {
  const { t } = useLocale();
  const [form] = Form.useForm<Fields>();
  const create = useCreateOrganisation();
  const update = useUpdateOrganisation();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    if (!open) return;
    setProblem(undefined);
    form.resetFields();
    if (editing)
      form.setFieldsValue({
        code: editing.code,
        name: editing.name,
        nameEn: editing.nameEn ?? "",
        kind: editing.kind,
        parentCode: all.find((o) => o.id === editing.parentId)?.code,
      });
    else form.setFieldsValue({ kind: "department" });
  }, [open, editing, form, all]);

  const save = (values: Fields) => {
    setProblem(undefined);
    const onError = (e: unknown) => setProblem(problemAtField(form, e, fieldNames));
    const onSuccess = () => onClose(true);
    const nameEn = values.nameEn?.trim() ? values.nameEn.trim() : undefined;
    if (editing)
      update.mutate(
        {
          id: editing.id,
          name: values.name,
          nameEn: nameEn ?? null,
          kind: values.kind,
          parentCode: values.parentCode ?? null,
        },
        { onSuccess, onError },
      );
    else
      create.mutate(
        {
          code: values.code,
          name: values.name,
          kind: values.kind,
          ...(nameEn ? { nameEn } : {}),
          ...(values.parentCode ? { parentCode: values.parentCode } : {}),
        },
        { onSuccess, onError },
      );
  };

  return (
    <Modal
      getContainer={modalRoot}
      open={open}
      title={editing ? t("organisations.editTitle", { name: editing.name }) : t("organisations.create")}
      okText={t("organisations.save")}
      cancelText={t("organisations.cancel")}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      {problem ? (
        <Alert type="error" showIcon title={problem.title} role="alert" className="form-alert" />
      ) : null}
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item
          name="code"
          label={t("organisations.field.code")}
          extra={t("organisations.field.codeHelp")}
          rules={[{ required: true, message: t("organisations.required") }]}
        >
          <Input disabled={Boolean(editing)} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("organisations.field.name")}
          rules={[{ required: true, whitespace: true, message: t("organisations.required") }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={t("organisations.field.nameEn")}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="kind" label={t("organisations.field.kind")} rules={[{ required: true }]}>
          <Select options={kinds.map((k) => ({ value: k, label: t(`organisations.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="parentCode" label={t("organisations.field.parent")}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("organisations.field.noParent")}
            options={all
              .filter((o) => o.id !== editing?.id)
              .map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

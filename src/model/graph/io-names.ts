/** Names and symbolic dims of the model graphs' inputs and output (the runtime feeds only the inputs a graph declares). */
export const BATCH_DIM = 'batch';
export const SEQUENCE_DIM = 'sequence';
export const INPUT_IDS = 'input_ids';
export const ATTENTION_MASK = 'attention_mask';
export const TOKEN_TYPE_IDS = 'token_type_ids';
export const LAST_HIDDEN_STATE = 'last_hidden_state';
